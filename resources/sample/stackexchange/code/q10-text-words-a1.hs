{-# LANGUAGE OverloadedStrings #-}
import qualified Data.Text as T
import qualified Data.Text.IO as TIO

wordCount :: T.Text -> Int
wordCount = length . T.words

main :: IO ()
main = do
  let t = "  hello   lazy world "
  print (wordCount t)
  TIO.putStrLn (T.toUpper (T.strip t))
  putStrLn (T.unpack (T.replace "lazy" "strict" t))
