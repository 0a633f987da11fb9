gcdOf :: Int -> Int -> Int
gcdOf a 0 = a
gcdOf a b = gcdOf b (a `mod` b)
