balancedParens :: String -> Bool
balancedParens s = go 0 s
  where
    go :: Int -> String -> Bool
    go depth [] = depth == 0
    go depth (c : cs)
      | c == '(' = go (depth + 1) cs
      | c == ')' = depth > 0 && go (depth - 1) cs
      | otherwise = go depth cs
