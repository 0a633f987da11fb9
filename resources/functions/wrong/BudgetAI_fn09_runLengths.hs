runLengths :: String -> [(Char, Int)]
runLengths s = [(c, 1) | c <- s]
