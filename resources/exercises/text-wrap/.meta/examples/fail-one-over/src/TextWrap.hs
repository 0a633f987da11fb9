module TextWrap (wrap) where

wrap :: Int -> String -> [String]
wrap width = go . words
  where
    go [] = []
    go (w : ws) = let (line, rest) = fill w ws in line : go rest
    fill line (w : ws) | length line + length w <= width = fill (line ++ " " ++ w) ws
    fill line ws = (line, ws)
