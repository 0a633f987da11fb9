collatzSteps :: Int -> Int
collatzSteps 1 = 0
collatzSteps n = 1 + collatzSteps (if even n then n `div` 2 else 3 * n + 1)
