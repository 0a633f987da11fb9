factorial :: Integer -> Integer
factorial n = product [1 .. n - 1]
