longestWord :: String -> String
longestWord s = foldl (\best w -> if length w > length best then w else best) "" (words s)
