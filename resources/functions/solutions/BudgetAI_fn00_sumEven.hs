sumEven :: [Int] -> Int
sumEven xs = sum (filter even xs)
