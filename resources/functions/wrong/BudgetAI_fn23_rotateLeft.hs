rotateLeft :: Int -> [Int] -> [Int]
rotateLeft n xs = drop n xs ++ take n xs
