module Luhn (isValid) where

import Data.Char (digitToInt, isDigit, isSpace)

isValid :: String -> Bool
isValid input = all (\c -> isDigit c || isSpace c) input && length digits > 1 && total `mod` 10 == 0
  where
    digits = map digitToInt (filter isDigit input)
    total = sum (zipWith ($) (cycle [id, double]) (reverse digits))
    double d = let x = 2 * d in if x > 9 then x - 9 else x
