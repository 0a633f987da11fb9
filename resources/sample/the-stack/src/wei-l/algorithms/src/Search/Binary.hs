-- | Binary search over a monotone predicate and over a sorted array.
module Search.Binary (firstTrue, searchArray, isqrt) where

import Data.Array

-- | Smallest n in [lo, hi] with p n, assuming p is monotone; Nothing if none.
firstTrue :: (Int -> Bool) -> Int -> Int -> Maybe Int
firstTrue p lo hi
  | lo > hi = Nothing
  | p mid = Just (maybe mid id (firstTrue p lo (mid - 1)))
  | otherwise = firstTrue p (mid + 1) hi
  where
    mid = lo + (hi - lo) `div` 2

searchArray :: Ord a => Array Int a -> a -> Maybe Int
searchArray arr x = case firstTrue (\i -> arr ! i >= x) lo hi of
  Just i | arr ! i == x -> Just i
  _ -> Nothing
  where
    (lo, hi) = bounds arr

isqrt :: Int -> Int
isqrt n = maybe n (subtract 1) (firstTrue (\k -> k * k > n) 0 (n + 1))
