digitSum :: Integer -> Integer
digitSum n = if n < 10 then n else n `mod` 10 + digitSum (n `div` 10)
