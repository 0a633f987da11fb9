-- | Extended Euclid and modular inverse.
module Number.Gcd (egcd, modInverse, modPow) where

egcd :: Integer -> Integer -> (Integer, Integer, Integer)
egcd a 0 = (a, 1, 0)
egcd a b = let (g, x, y) = egcd b (a `mod` b) in (g, y, x - (a `div` b) * y)

modInverse :: Integer -> Integer -> Maybe Integer
modInverse a m = case egcd a m of
  (1, x, _) -> Just (x `mod` m)
  _ -> Nothing

modPow :: Integer -> Integer -> Integer -> Integer
modPow _ 0 m = 1 `mod` m
modPow b e m
  | even e = let h = modPow b (e `div` 2) m in h * h `mod` m
  | otherwise = b * modPow b (e - 1) m `mod` m
