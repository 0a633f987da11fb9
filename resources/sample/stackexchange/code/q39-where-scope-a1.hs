main :: IO ()
main = do
  line <- getLine
  let result = length line
  print result
