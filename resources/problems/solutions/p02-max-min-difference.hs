main :: IO ()
main = do
  (_ : xs) <- map read . words <$> getContents
  print (maximum xs - minimum xs :: Integer)
