module Main (main) where

import Data.List (group)

-- | uniq -c: count adjacent repeated lines of stdin.
main :: IO ()
main = interact (unlines . map render . group . lines)
  where
    render ls = pad 7 (show (length ls)) ++ " " ++ head ls
    pad n s = replicate (n - length s) ' ' ++ s
