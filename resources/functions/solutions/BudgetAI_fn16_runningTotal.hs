runningTotal :: [Int] -> [Int]
runningTotal xs = scanl1 (+) xs
