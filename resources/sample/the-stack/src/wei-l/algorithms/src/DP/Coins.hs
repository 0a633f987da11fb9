-- | Counting the ways to make change, with an infinite lazy list per coin.
module DP.Coins (ways, fewestCoins) where

ways :: [Int] -> Int -> Integer
ways coins target = foldr addCoin (1 : repeat 0) coins !! target
  where
    addCoin c table = let new = zipWith (+) table (replicate c 0 ++ new) in new

fewestCoins :: [Int] -> Int -> Maybe Int
fewestCoins coins target = table !! target
  where
    table = Just 0 : map best [1 ..]
    best n = case [k + 1 | c <- coins, c <= n, Just k <- [table !! (n - c)]] of
      [] -> Nothing
      ks -> Just (minimum ks)
