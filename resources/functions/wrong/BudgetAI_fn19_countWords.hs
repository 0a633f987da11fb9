countWords :: String -> Int
countWords s = length (filter (== ' ') s) + 1
