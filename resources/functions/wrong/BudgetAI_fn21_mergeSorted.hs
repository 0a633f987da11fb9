mergeSorted :: [Int] -> [Int] -> [Int]
mergeSorted xs ys = xs ++ ys
