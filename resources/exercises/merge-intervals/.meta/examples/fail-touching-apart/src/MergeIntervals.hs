module MergeIntervals (merge, covered) where

import Data.List (sort)

merge :: [(Int, Int)] -> [(Int, Int)]
merge = foldr combine [] . reverse . foldl absorb [] . sort
  where
    absorb ((lo, hi) : done) (lo', hi') | lo' < hi = (lo, max hi hi') : done
    absorb done next = next : done
    combine x acc = x : acc

covered :: [(Int, Int)] -> Int
covered = sum . map (\(lo, hi) -> hi - lo + 1) . merge
