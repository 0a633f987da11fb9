powerSet :: [Int] -> [[Int]]
powerSet [] = [[]]
powerSet (x : xs) = let rest = powerSet xs in rest ++ map (x :) rest
