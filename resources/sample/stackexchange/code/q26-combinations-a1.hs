import Data.List (tails)

combinations :: Int -> [a] -> [[a]]
combinations 0 _ = [[]]
combinations k xs = [y : rest | (y : ys) <- tails xs, rest <- combinations (k - 1) ys]
