interleave :: [Int] -> [Int] -> [Int]
interleave [] ys = ys
interleave (x : xs) ys = x : interleave ys xs
