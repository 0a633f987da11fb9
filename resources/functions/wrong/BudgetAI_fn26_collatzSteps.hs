collatzSteps :: Int -> Int
collatzSteps n = if n <= 1 then 0 else 1 + collatzSteps (n `div` 2)
