fibonacci :: Int -> Integer
fibonacci n = fst (iterate (\(a, b) -> (b, a + b)) (1, 1) !! n)
