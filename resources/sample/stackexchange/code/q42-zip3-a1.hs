totals :: [Int] -> [Int] -> [Int] -> [Int]
totals = zipWith3 (\a b c -> a + b + c)
