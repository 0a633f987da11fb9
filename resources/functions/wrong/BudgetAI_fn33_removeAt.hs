removeAt :: Int -> [Int] -> [Int]
removeAt i xs = take i xs ++ drop i xs
