-- WRONG (does not compile: scope error): calls a function that does not exist.
main :: IO ()
main = do
  s <- getLine
  putStrLn (concatMap encodeRun (groupRuns s))
