allPresent :: [Maybe Int] -> Maybe [Int]
allPresent = sequence

presentOnes :: [Maybe Int] -> [Int]
presentOnes xs = [x | Just x <- xs]
