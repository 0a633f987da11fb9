removeAt :: Int -> [Int] -> [Int]
removeAt i xs = [x | (j, x) <- zip [0 ..] xs, j /= i]
