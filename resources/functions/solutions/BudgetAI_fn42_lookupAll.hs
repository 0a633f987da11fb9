lookupAll :: Int -> [(Int, Char)] -> String
lookupAll k pairs = [v | (k', v) <- pairs, k' == k]
