module CsvLine (fields) where

fields :: String -> Either String [String]
fields line = case field line of
  Right (f, []) -> Right [f]
  Right (f, _ : rest) -> (f :) <$> fields rest
  Left err -> Left err

-- One field and what follows it (empty, or starting with the comma).
field :: String -> Either String (String, String)
field ('"' : rest) = quoted rest
field s = Right (break (== ',') s)

quoted :: String -> Either String (String, String)
quoted ('"' : '"' : rest) = (\(f, r) -> ('"' : f, r)) <$> quoted rest
quoted ('"' : rest@(',' : _)) = Right ("", rest)
quoted "\"" = Right ("", "")
quoted ('"' : _) = Left "malformed"
quoted (c : rest) = (\(f, r) -> (c : f, r)) <$> quoted rest
quoted [] = Left "malformed"
