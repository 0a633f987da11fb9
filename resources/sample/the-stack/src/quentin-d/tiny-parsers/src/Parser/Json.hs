-- | A small JSON parser with Parsec.
module Parser.Json (Json (..), parseJson) where

import Text.Parsec
import Text.Parsec.String (Parser)

data Json
  = JNull
  | JBool Bool
  | JNumber Double
  | JString String
  | JArray [Json]
  | JObject [(String, Json)]
  deriving (Show, Eq)

lexeme :: Parser a -> Parser a
lexeme p = p <* spaces

json :: Parser Json
json = lexeme $ choice
  [ JNull <$ string "null"
  , JBool True <$ try (string "true")
  , JBool False <$ string "false"
  , JNumber <$> number
  , JString <$> stringLit
  , JArray <$> between (lexeme (char '[')) (char ']') (json `sepBy` lexeme (char ','))
  , JObject <$> between (lexeme (char '{')) (char '}') (field `sepBy` lexeme (char ','))
  ]
  where
    field = (,) <$> lexeme stringLit <* lexeme (char ':') <*> json

number :: Parser Double
number = do
  sign <- option "" (string "-")
  whole <- many1 digit
  frac <- option "" ((:) <$> char '.' <*> many1 digit)
  return (read (sign ++ whole ++ frac))

stringLit :: Parser String
stringLit = between (char '"') (char '"') (many (noneOf "\"\\" <|> (char '\\' >> escaped)))
  where
    escaped = choice [char '"', char '\\', '\n' <$ char 'n', '\t' <$ char 't']

parseJson :: String -> Either ParseError Json
parseJson = parse (spaces *> json <* eof) "<input>"
