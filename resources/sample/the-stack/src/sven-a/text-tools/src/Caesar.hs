-- | Caesar and Vigenere ciphers over ASCII letters.
module Caesar (caesar, uncaesar, vigenere) where

import Data.Char (chr, isAsciiLower, isAsciiUpper, ord)

shift :: Int -> Char -> Char
shift n c
  | isAsciiLower c = rotate 'a'
  | isAsciiUpper c = rotate 'A'
  | otherwise = c
  where
    rotate base = chr (ord base + (ord c - ord base + n) `mod` 26)

caesar :: Int -> String -> String
caesar n = map (shift n)

uncaesar :: Int -> String -> String
uncaesar n = caesar (negate n)

vigenere :: String -> String -> String
vigenere key = zipWith (\k c -> shift (ord k - ord 'a') c) (cycle key)
