toBinary :: Int -> String
toBinary 0 = "0"
toBinary n = reverse (go n)
  where
    go 0 = ""
    go k = go (k `div` 2) ++ show (k `mod` 2)
