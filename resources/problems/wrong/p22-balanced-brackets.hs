-- WRONG (does not compile: parse error): an `if` without its `else`.
main :: IO ()
main = do
  (header : rest) <- lines <$> getContents
  mapM_ (putStrLn . verdict) (take (read header) rest)
  where
    verdict s = if null s then "NO"
