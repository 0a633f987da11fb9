pairwiseSums :: [Int] -> [Int]
pairwiseSums xs = zipWith (+) xs xs
