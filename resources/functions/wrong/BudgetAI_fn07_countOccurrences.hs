countOccurrences :: Int -> [Int] -> Int
countOccurrences x xs = length (filter (/= x) xs)
