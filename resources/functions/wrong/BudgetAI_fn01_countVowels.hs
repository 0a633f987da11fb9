countVowels :: String -> Int
countVowels s = length (filter (`elem` "aeiou") s)
