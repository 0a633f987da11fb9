-- | Compound interest with exact rational arithmetic.
module Bank.Interest (compound, schedule) where

import Data.Ratio ((%))

-- | Balance after n periods at the given rate per period (e.g. 5 % 100).
compound :: Rational -> Rational -> Int -> Rational
compound principal rate n = principal * (1 + rate) ^ n

-- | Balance at the end of each period, rounded down to whole cents.
schedule :: Integer -> Rational -> Int -> [Integer]
schedule cents rate n = [floor (compound (cents % 1) rate k) | k <- [1 .. n]]
