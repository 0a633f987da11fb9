wordFrequencies :: String -> [(String, Int)]
wordFrequencies s = [(w, 1) | w <- words s]
