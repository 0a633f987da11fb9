interleave :: [Int] -> [Int] -> [Int]
interleave xs ys = concat (zipWith (\a b -> [a, b]) xs ys)
