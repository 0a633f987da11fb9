insertionSort :: [Int] -> [Int]
insertionSort xs = reverse xs
