main :: IO ()
main = do
  line <- takeWhile (/= '\n') <$> getContents
  putStrLn (unwords (reverse (words line)))
