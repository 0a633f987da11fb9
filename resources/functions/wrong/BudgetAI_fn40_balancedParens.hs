balancedParens :: String -> Bool
balancedParens s = length (filter (== '(') s) == length (filter (== ')') s)
