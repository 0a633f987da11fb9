module Matrix (saddlePoints) where

import Data.Array (Array, Ix, assocs, bounds, (!))

-- | Positions whose value is the largest in its row and the smallest in its column.
saddlePoints :: (Ix i, Ix j, Ord e, Enum i, Enum j) => Array (i, j) e -> [(i, j)]
saddlePoints m = [p | (p@(r, c), v) <- assocs m, v == rowMax r, v == colMin c]
  where
    ((r0, c0), (r1, c1)) = bounds m
    rowMax r = maximum [m ! (r, c) | c <- [c0 .. c1]]
    colMin c = minimum [m ! (r, c) | r <- [r0 .. r1]]
