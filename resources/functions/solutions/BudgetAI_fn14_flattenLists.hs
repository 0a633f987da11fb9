flattenLists :: [[Int]] -> [Int]
flattenLists xss = concat xss
