maxOfList :: [Int] -> Int
maxOfList xs = head xs
