import Text.ParserCombinators.ReadP
import Data.Char (isAlphaNum)

pair :: ReadP (String, String)
pair = do
  k <- munch1 isAlphaNum
  _ <- char '='
  v <- munch1 isAlphaNum
  return (k, v)

pairs :: ReadP [(String, String)]
pairs = sepBy pair (char ';') <* eof

parsePairs :: String -> Maybe [(String, String)]
parsePairs s = case readP_to_S pairs s of
  [(r, "")] -> Just r
  _ -> Nothing
