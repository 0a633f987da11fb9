module GridRotate (transposeGrid, rotateRight) where

import Data.List (transpose)

transposeGrid :: [[a]] -> Maybe [[a]]
transposeGrid [] = Just []
transposeGrid grid@(row : rows)
  | all ((== length row) . length) rows = Just (transpose grid)
  | otherwise = Nothing

rotateRight :: [[a]] -> Maybe [[a]]
rotateRight = fmap (map reverse) . transposeGrid
