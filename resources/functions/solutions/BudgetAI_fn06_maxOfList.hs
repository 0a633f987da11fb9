maxOfList :: [Int] -> Int
maxOfList xs = maximum xs
