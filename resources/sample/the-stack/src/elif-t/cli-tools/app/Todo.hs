module Main (main) where

import System.Directory (doesFileExist)
import System.Environment (getArgs)

todoFile :: FilePath
todoFile = "todo.txt"

-- | todo add TEXT | todo list | todo done N
main :: IO ()
main = getArgs >>= dispatch

dispatch :: [String] -> IO ()
dispatch ("add" : ws) = appendFile todoFile (unwords ws ++ "\n")
dispatch ["list"] = loadItems >>= mapM_ (\(n, t) -> putStrLn (show n ++ ". " ++ t)) . zip [1 :: Int ..]
dispatch ["done", n] = do
  items <- loadItems
  let k = read n
      kept = [t | (i, t) <- zip [1 ..] items, i /= k]
  length kept `seq` writeFile todoFile (unlines kept)
dispatch _ = putStrLn "usage: todo add TEXT | todo list | todo done N"

loadItems :: IO [String]
loadItems = do
  exists <- doesFileExist todoFile
  if exists then lines <$> readFile todoFile else return []
