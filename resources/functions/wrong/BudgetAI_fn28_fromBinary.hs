fromBinary :: String -> Int
fromBinary s = length (filter (== '1') s)
