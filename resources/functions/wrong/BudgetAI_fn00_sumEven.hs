sumEven :: [Int] -> Int
sumEven xs = sum xs
