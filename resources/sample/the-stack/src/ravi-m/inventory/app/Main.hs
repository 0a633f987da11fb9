module Main (main) where

import System.Environment (getArgs)
import System.Exit (exitFailure)
import Text.Read (readMaybe)

-- | inventory-cli: add up "name,quantity,price" lines from a CSV file.
main :: IO ()
main = do
  args <- getArgs
  case args of
    [path] -> readFile path >>= either die' report . traverse parseLine . drop 1 . lines
    _ -> die' "usage: inventory-cli FILE.csv"
  where
    die' msg = putStrLn msg >> exitFailure
    report rows = putStrLn ("total value: " ++ show (sum [fromIntegral q * p | (_, q, p) <- rows]))

parseLine :: String -> Either String (String, Int, Double)
parseLine line = case splitOn ',' line of
  [n, q, p] | Just q' <- readMaybe q, Just p' <- readMaybe p -> Right (n, q', p')
  _ -> Left ("bad line: " ++ line)

splitOn :: Char -> String -> [String]
splitOn sep s = case break (== sep) s of
  (chunk, []) -> [chunk]
  (chunk, _ : rest) -> chunk : splitOn sep rest
