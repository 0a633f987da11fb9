fromBinary :: String -> Int
fromBinary s = foldl (\acc c -> 2 * acc + (if c == '1' then 1 else 0)) 0 s
