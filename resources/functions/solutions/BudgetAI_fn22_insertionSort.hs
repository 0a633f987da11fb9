insertionSort :: [Int] -> [Int]
insertionSort xs = foldr insert [] xs
  where
    insert y [] = [y]
    insert y (z : zs) = if y <= z then y : z : zs else z : insert y zs
