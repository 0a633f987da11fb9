module GridRotate (transposeGrid, rotateRight) where

transposeGrid :: [[a]] -> Maybe [[a]]
transposeGrid grid = error "You need to implement this function."

rotateRight :: [[a]] -> Maybe [[a]]
rotateRight grid = error "You need to implement this function."
