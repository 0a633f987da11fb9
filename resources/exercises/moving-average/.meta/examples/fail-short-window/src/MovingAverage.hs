module MovingAverage (movingAverage) where

import Data.List (tails)

movingAverage :: Int -> [Double] -> Maybe [Double]
movingAverage k xs
  | k <= 0 = Nothing
  | otherwise = Just [sum w / fromIntegral k | w <- windows]
  where
    windows = [take k t | t <- tails xs, length (take k t) == k, length t > k || k == 1]
