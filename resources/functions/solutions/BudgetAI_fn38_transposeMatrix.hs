transposeMatrix :: [[Int]] -> [[Int]]
transposeMatrix [] = []
transposeMatrix ([] : _) = []
transposeMatrix rows = map head rows : transposeMatrix (map tail rows)
