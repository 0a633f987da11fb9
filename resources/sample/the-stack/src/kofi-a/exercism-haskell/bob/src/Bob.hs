module Bob (responseFor) where

import Data.Char (isAlpha, isSpace, isUpper)

responseFor :: String -> String
responseFor input
  | silent = "Fine. Be that way!"
  | shouting && asking = "Calm down, I know what I'm doing!"
  | shouting = "Whoa, chill out!"
  | asking = "Sure."
  | otherwise = "Whatever."
  where
    trimmed = reverse (dropWhile isSpace (reverse input))
    letters = filter isAlpha trimmed
    silent = all isSpace input
    shouting = not (null letters) && all isUpper letters
    asking = not (null trimmed) && last trimmed == '?'
