countVowels :: String -> Int
countVowels s = length (filter (`elem` "aeiouAEIOU") s)
