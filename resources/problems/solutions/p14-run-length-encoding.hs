import Data.List (group)

main :: IO ()
main = do
  s <- takeWhile (/= '\n') <$> getContents
  putStrLn (concatMap (\run -> head run : show (length run)) (group s))
