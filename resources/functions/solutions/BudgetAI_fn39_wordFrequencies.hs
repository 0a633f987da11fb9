wordFrequencies :: String -> [(String, Int)]
wordFrequencies s = [(w, length (filter (== w) ws)) | w <- distinct ws]
  where
    ws = words s
    distinct = foldl (\seen w -> if w `elem` seen then seen else seen ++ [w]) []
