-- | Dense matrices as lists of rows; enough for small linear-algebra exercises.
module Matrix (Matrix, fromRows, rows, transpose', mmul, identity, mpow) where

import Data.List (transpose)

newtype Matrix = Matrix [[Integer]]
  deriving (Show, Eq)

fromRows :: [[Integer]] -> Maybe Matrix
fromRows [] = Nothing
fromRows rs@(r : _)
  | all ((== length r) . length) rs = Just (Matrix rs)
  | otherwise = Nothing

rows :: Matrix -> [[Integer]]
rows (Matrix rs) = rs

transpose' :: Matrix -> Matrix
transpose' (Matrix rs) = Matrix (transpose rs)

mmul :: Matrix -> Matrix -> Matrix
mmul (Matrix a) (Matrix b) = Matrix [[sum (zipWith (*) r c) | c <- transpose b] | r <- a]

identity :: Int -> Matrix
identity n = Matrix [[if i == j then 1 else 0 | j <- [1 .. n]] | i <- [1 .. n]]

-- | Exponentiation by squaring.
mpow :: Matrix -> Int -> Matrix
mpow m@(Matrix rs) k
  | k == 0 = identity (length rs)
  | even k = let h = mpow m (k `div` 2) in mmul h h
  | otherwise = mmul m (mpow m (k - 1))
