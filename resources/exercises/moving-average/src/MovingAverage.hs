module MovingAverage (movingAverage) where

movingAverage :: Int -> [Double] -> Maybe [Double]
movingAverage k xs = error "You need to implement this function."
