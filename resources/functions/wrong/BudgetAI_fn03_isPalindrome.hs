isPalindrome :: String -> Bool
isPalindrome s = take 1 s == take 1 (reverse s)
