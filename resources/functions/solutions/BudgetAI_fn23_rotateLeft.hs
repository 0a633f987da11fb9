rotateLeft :: Int -> [Int] -> [Int]
rotateLeft _ [] = []
rotateLeft n xs = let k = n `mod` length xs in drop k xs ++ take k xs
