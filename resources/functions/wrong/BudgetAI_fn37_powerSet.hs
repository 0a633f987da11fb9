powerSet :: [Int] -> [[Int]]
powerSet xs = [[]] ++ map (: []) xs
