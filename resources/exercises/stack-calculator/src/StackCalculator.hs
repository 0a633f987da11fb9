module StackCalculator (evaluate) where

evaluate :: String -> Either String Integer
evaluate expression = error "You need to implement this function."
