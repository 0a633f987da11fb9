elementAt :: Int -> [Int] -> Maybe Int
elementAt i xs = if i < 0 then Nothing else case drop i xs of
  (y : _) -> Just y
  [] -> Nothing
