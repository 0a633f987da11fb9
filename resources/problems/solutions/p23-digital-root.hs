import Data.Char (digitToInt)

main :: IO ()
main = do
  n <- readLn :: IO Integer
  print (until (< 10) digitSum n)
  where
    digitSum = toInteger . sum . map digitToInt . show
