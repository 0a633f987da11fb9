triangleNumbers :: Int -> [Int]
triangleNumbers n = take n [1, 3 ..]
