elementAt :: Int -> [Int] -> Maybe Int
elementAt i xs = if i < length xs then Just (xs !! i) else Nothing
