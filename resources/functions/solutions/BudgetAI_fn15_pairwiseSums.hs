pairwiseSums :: [Int] -> [Int]
pairwiseSums xs = zipWith (+) xs (drop 1 xs)
