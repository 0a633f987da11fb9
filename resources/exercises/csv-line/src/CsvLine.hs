module CsvLine (fields) where

fields :: String -> Either String [String]
fields line = error "You need to implement this function."
