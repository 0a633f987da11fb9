secondLargest :: [Int] -> Maybe Int
secondLargest xs = case filter (< maximum xs) xs of
  [] -> Nothing
  rest -> if null xs then Nothing else Just (maximum rest)
