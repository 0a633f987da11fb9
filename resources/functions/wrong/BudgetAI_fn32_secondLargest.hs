secondLargest :: [Int] -> Maybe Int
secondLargest xs = if length xs < 2 then Nothing else Just (maximum (tail xs))
