chunksOf :: Int -> [Int] -> [[Int]]
chunksOf n xs = [take n xs, drop n xs]
