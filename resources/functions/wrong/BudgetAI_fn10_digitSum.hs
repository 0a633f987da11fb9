digitSum :: Integer -> Integer
digitSum n = n `mod` 10
