reverseWords :: String -> String
reverseWords s = reverse s
