triangleNumbers :: Int -> [Int]
triangleNumbers n = take n (scanl1 (+) [1 ..])
