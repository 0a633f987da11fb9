dedupAdjacent :: [Int] -> [Int]
dedupAdjacent xs = foldr (\y acc -> if y `elem` acc then acc else y : acc) [] xs
