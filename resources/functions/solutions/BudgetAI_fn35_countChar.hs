countChar :: Char -> String -> Int
countChar c s = length (filter (== c) s)
