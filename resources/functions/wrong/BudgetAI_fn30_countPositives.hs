countPositives :: [Int] -> Int
countPositives xs = length (filter (>= 0) xs)
