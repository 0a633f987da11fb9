gcdOf :: Int -> Int -> Int
gcdOf a b = min a b
