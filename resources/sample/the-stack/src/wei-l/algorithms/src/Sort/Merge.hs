-- | Merge sort, stable, O(n log n).
module Sort.Merge (mergeSort, mergeSortBy) where

mergeSort :: Ord a => [a] -> [a]
mergeSort = mergeSortBy compare

mergeSortBy :: (a -> a -> Ordering) -> [a] -> [a]
mergeSortBy cmp = go
  where
    go [] = []
    go [x] = [x]
    go xs = let (l, r) = splitAt (length xs `div` 2) xs in merge (go l) (go r)
    merge [] ys = ys
    merge xs [] = xs
    merge (x : xs) (y : ys)
      | cmp y x == LT = y : merge (x : xs) ys
      | otherwise = x : merge xs (y : ys)
