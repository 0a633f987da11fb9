applyTwice :: (Int -> Int) -> Int -> Int
applyTwice f x = f (f x)
