-- | Fibonacci numbers in O(log n) multiplications using 2x2 matrix powers.
module Fib (fib) where

data M2 = M2 !Integer !Integer !Integer !Integer

mul :: M2 -> M2 -> M2
mul (M2 a b c d) (M2 e f g h) = M2 (a * e + b * g) (a * f + b * h) (c * e + d * g) (c * f + d * h)

power :: M2 -> Int -> M2
power _ 0 = M2 1 0 0 1
power m n
  | even n = let h = power m (n `div` 2) in mul h h
  | otherwise = mul m (power m (n - 1))

fib :: Int -> Integer
fib n
  | n < 0 = error "fib: negative index"
  | otherwise = let M2 _ f _ _ = power (M2 1 1 1 0) n in f
