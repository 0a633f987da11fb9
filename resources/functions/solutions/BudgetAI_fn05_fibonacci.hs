fibonacci :: Int -> Integer
fibonacci n = fst (iterate (\(a, b) -> (b, a + b)) (0, 1) !! n)
