import Data.List (foldl')

main :: IO ()
main = do
  cmds <- takeWhile (/= '\n') <$> getContents
  let (x, y) = foldl' move (0, 0) cmds :: (Int, Int)
  putStrLn (show x ++ " " ++ show y)
  where
    move (x, y) 'U' = (x, y + 1)
    move (x, y) 'D' = (x, y - 1)
    move (x, y) 'R' = (x + 1, y)
    move (x, y) 'L' = (x - 1, y)
    move p _ = p
