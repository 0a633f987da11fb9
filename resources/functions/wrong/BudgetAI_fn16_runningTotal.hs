runningTotal :: [Int] -> [Int]
runningTotal xs = scanl (+) 0 xs
