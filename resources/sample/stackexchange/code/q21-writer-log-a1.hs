import Control.Monad.Writer

collatz :: Int -> Writer [String] Int
collatz 1 = do
  tell ["done"]
  return 0
collatz n = do
  tell [show n]
  steps <- collatz (if even n then n `div` 2 else 3 * n + 1)
  return (steps + 1)

main :: IO ()
main = do
  let (steps, logLines) = runWriter (collatz 6)
  print steps
  mapM_ putStrLn logLines
