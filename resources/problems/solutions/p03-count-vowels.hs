import Data.Char (toLower)

main :: IO ()
main = do
  line <- takeWhile (/= '\n') <$> getContents
  print (length (filter ((`elem` "aeiou") . toLower) line))
