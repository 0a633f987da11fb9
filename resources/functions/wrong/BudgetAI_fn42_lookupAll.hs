lookupAll :: Int -> [(Int, Char)] -> String
lookupAll k pairs = take 1 [v | (k', v) <- pairs, k' == k]
