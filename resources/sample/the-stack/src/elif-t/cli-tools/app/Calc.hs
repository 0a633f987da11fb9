module Main (main) where

import System.IO (hFlush, stdout)
import Text.Read (readMaybe)

-- | An RPN calculator REPL: enter tokens like "3 4 + 2 *", empty line quits.
main :: IO ()
main = do
  putStr "> "
  hFlush stdout
  line <- getLine
  if null line
    then return ()
    else do
      putStrLn (either ("error: " ++) show (rpn (words line)))
      main

rpn :: [String] -> Either String Double
rpn = go []
  where
    go [x] [] = Right x
    go st [] = Left ("stack has " ++ show (length st) ++ " values")
    go (y : x : st) (t : ts) | Just f <- lookup t ops = go (f x y : st) ts
    go st (t : ts) = case readMaybe t of
      Just v -> go (v : st) ts
      Nothing -> Left ("bad token " ++ t)
    ops = [("+", (+)), ("-", (-)), ("*", (*)), ("/", (/))]
