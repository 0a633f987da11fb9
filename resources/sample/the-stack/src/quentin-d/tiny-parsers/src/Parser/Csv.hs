-- | RFC 4180-style CSV: quoted fields may contain commas, quotes ("") and newlines.
module Parser.Csv (parseCsv) where

import Text.Parsec
import Text.Parsec.String (Parser)

csv :: Parser [[String]]
csv = record `endBy` eol <* eof

record :: Parser [String]
record = field `sepBy1` char ','

field :: Parser String
field = quoted <|> many (noneOf ",\r\n")

quoted :: Parser String
quoted = between (char '"') (char '"') (many (noneOf "\"" <|> try (string "\"\"" >> return '"')))

eol :: Parser ()
eol = () <$ (try (string "\r\n") <|> string "\n")

parseCsv :: String -> Either ParseError [[String]]
parseCsv = parse csv "<csv>"
