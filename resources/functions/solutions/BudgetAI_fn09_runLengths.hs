runLengths :: String -> [(Char, Int)]
runLengths [] = []
runLengths (c : cs) = (c, 1 + length (takeWhile (== c) cs)) : runLengths (dropWhile (== c) cs)
