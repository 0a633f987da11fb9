safeDivide :: Int -> Int -> Maybe Int
safeDivide a b = if b == 0 then Just 0 else Just (a `div` b)
