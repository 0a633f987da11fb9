module JsonString (quote) where

import Numeric (showHex)

quote :: String -> String
quote s = "\"" ++ concatMap escape s ++ "\""

escape :: Char -> String
escape '"' = "\\\""
escape '\\' = "\\\\"
escape '\n' = "\\n"
escape '\t' = "\\t"
escape '\r' = "\\r"
escape c
  | c < '\t' = "\\u" ++ pad (showHex (fromEnum c) "")
  | otherwise = [c]
  where pad h = replicate (4 - length h) '0' ++ h
