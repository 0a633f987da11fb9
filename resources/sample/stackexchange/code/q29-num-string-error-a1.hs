greeting :: Int -> String
greeting n = "Hello " ++ show (n + 1)
