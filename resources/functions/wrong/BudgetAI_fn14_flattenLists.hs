flattenLists :: [[Int]] -> [Int]
flattenLists xss = map sum xss
