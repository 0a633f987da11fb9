transposeMatrix :: [[Int]] -> [[Int]]
transposeMatrix rows = reverse rows
