module DigitPersistence (digitSum, digitalRoot, persistence) where

digits :: Integer -> [Integer]
digits 0 = [0]
digits n = go n
  where
    go 0 = []
    go m = m `mod` 10 : go (m `div` 10)

guarded :: (Integer -> a) -> Integer -> Maybe a
guarded f n = if n < 0 then Nothing else Just (f n)

digitSum :: Integer -> Maybe Integer
digitSum = guarded (sum . digits)

digitalRoot :: Integer -> Maybe Integer
digitalRoot = guarded (\n -> last (chain n))

persistence :: Integer -> Maybe Int
persistence = guarded (\n -> length (chain n) - 1)

chain :: Integer -> [Integer]
chain n
  | n < 10 = [n, n]
  | otherwise = n : chain (sum (digits n))
