main :: IO ()
main = do
  (_ : ws) <- words <$> getContents
  mapM_ (putStrLn . verdict) ws
  where
    verdict w = if w == reverse w then "YES" else "NO"
