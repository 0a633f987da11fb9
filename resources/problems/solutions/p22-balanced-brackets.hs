main :: IO ()
main = do
  (header : rest) <- lines <$> getContents
  mapM_ (putStrLn . verdict) (take (read header) rest)
  where
    verdict s = if balanced [] s then "YES" else "NO"

balanced :: String -> String -> Bool
balanced stack [] = null stack
balanced stack (c : cs)
  | c `elem` "([{" = balanced (c : stack) cs
  | otherwise = case stack of
      (top : below) | matches top c -> balanced below cs
      _ -> False
  where
    matches '(' ')' = True
    matches '[' ']' = True
    matches '{' '}' = True
    matches _ _ = False
