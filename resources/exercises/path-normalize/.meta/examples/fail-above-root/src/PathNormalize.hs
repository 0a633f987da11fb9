module PathNormalize (normalize) where

normalize :: String -> String
normalize path = render (foldl step [] (segments path))
  where
    absolute = take 1 path == "/"
    step acc "." = acc
    step acc "" = acc
    step (x : rest) ".." | x /= ".." = rest
    step acc seg = seg : acc
    render acc
      | absolute = '/' : joinSlash (reverse acc)
      | null acc = "."
      | otherwise = joinSlash (reverse acc)

segments :: String -> [String]
segments s = case break (== '/') s of
  (part, []) -> [part]
  (part, _ : rest) -> part : segments rest

joinSlash :: [String] -> String
joinSlash [] = ""
joinSlash xs = foldr1 (\a b -> a ++ "/" ++ b) xs
