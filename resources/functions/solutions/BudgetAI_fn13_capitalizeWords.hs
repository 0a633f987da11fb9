capitalizeWords :: String -> String
capitalizeWords s = unwords (map cap (words s))
  where
    cap [] = []
    cap (c : cs) = toUpper c : cs
    toUpper c = if c >= 'a' && c <= 'z' then toEnum (fromEnum c - 32) else c
