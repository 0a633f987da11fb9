module Main (main) where

import Data.Queue
import Test.QuickCheck

-- | Pushing a list and popping everything gives the list back in order.
prop_fifo :: [Int] -> Bool
prop_fifo xs = drain (foldl (flip push) empty xs) == xs
  where
    drain q = maybe [] (\(x, q') -> x : drain q') (pop q)

prop_toList :: [Int] -> Bool
prop_toList xs = toList (foldl (flip push) empty xs) == xs

main :: IO ()
main = do
  quickCheck prop_fifo
  quickCheck prop_toList
