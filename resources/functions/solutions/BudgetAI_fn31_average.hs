average :: [Double] -> Double
average xs = sum xs / fromIntegral (length xs)
