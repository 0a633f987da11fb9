reverseWords :: String -> String
reverseWords s = unwords (reverse (words s))
