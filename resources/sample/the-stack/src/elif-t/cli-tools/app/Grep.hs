module Main (main) where

import Data.List (isInfixOf)
import System.Environment (getArgs)
import System.Exit (exitWith, ExitCode (..))

-- | mini-grep PATTERN FILE...: print matching lines prefixed with file and line number.
main :: IO ()
main = do
  args <- getArgs
  case args of
    (pat : files@(_ : _)) -> do
      found <- mapM (search pat) files
      exitWith (if or found then ExitSuccess else ExitFailure 1)
    _ -> putStrLn "usage: mini-grep PATTERN FILE..." >> exitWith (ExitFailure 2)

search :: String -> FilePath -> IO Bool
search pat file = do
  contents <- readFile file
  let hits = [(n, l) | (n, l) <- zip [1 :: Int ..] (lines contents), pat `isInfixOf` l]
  mapM_ (\(n, l) -> putStrLn (file ++ ":" ++ show n ++ ": " ++ l)) hits
  return (not (null hits))
