main :: IO ()
main = do
  xs <- map read . words <$> getLine :: IO [Int]
  print (sum xs)
