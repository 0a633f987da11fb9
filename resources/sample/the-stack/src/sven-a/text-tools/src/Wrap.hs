-- | Greedy word wrapping to a maximum line width.
module Wrap (wrap) where

wrap :: Int -> String -> [String]
wrap width = map unwords . go 0 [] . words
  where
    go _ line [] = [reverse line | not (null line)]
    go used line (w : ws)
      | null line = go (length w) [w] ws
      | used + 1 + length w <= width = go (used + 1 + length w) (w : line) ws
      | otherwise = reverse line : go 0 [] (w : ws)
