countChar :: Char -> String -> Int
countChar c s = if c `elem` s then 1 else 0
