main :: IO ()
main = interact (unlines . zipWith number [1 :: Int ..] . lines)
  where
    number n l = show n ++ ": " ++ l
