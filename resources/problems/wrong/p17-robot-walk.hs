-- WRONG (infinite loop): the walk never consumes its input, so it spins forever.
main :: IO ()
main = do
  cmds <- takeWhile (/= '\n') <$> getContents
  let (x, y) = walk (0, 0) cmds
  putStrLn (show x ++ " " ++ show y)

walk :: (Int, Int) -> String -> (Int, Int)
walk p [] = p
walk (x, y) cmds@(c : _) = x' `seq` y' `seq` walk (x', y') cmds
  where
    (x', y') = step c
    step 'U' = (x, y + 1)
    step 'D' = (x, y - 1)
    step 'R' = (x + 1, y)
    step _ = (x - 1, y)
