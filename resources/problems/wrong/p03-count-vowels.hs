-- WRONG (does not compile: type error): adds a count to a string.
import Data.Char (toLower)

main :: IO ()
main = do
  line <- getLine
  putStrLn (length (filter ((`elem` "aeiou") . toLower) line) + "\n")
