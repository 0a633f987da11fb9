-- | Levenshtein distance, row by row in O(min(n, m)) memory.
module DP.EditDistance (editDistance) where

editDistance :: Eq a => [a] -> [a] -> Int
editDistance xs ys = last (foldl nextRow [0 .. length ys] xs)
  where
    nextRow prev@(p : ps) x = scanl step (p + 1) (zip3 ys prev ps)
      where
        step left (y, diag, up) = minimum [left + 1, up + 1, diag + fromEnum (x /= y)]
    nextRow [] _ = []
