import Data.Char (toUpper)

capitalise :: String -> String
capitalise = unwords . map capWord . words
  where
    capWord [] = []
    capWord (c : cs) = toUpper c : cs
