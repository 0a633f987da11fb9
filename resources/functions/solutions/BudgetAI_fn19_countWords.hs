countWords :: String -> Int
countWords s = length (words s)
