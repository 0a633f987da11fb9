dedupAdjacent :: [Int] -> [Int]
dedupAdjacent xs = map head (group xs)
  where
    group [] = []
    group (y : ys) = (y : takeWhile (== y) ys) : group (dropWhile (== y) ys)
