module EmailCheck (Problem(..), check) where

data Problem = MissingAt | SeveralAts | EmptyLocal | BadDomain deriving (Show, Eq)

check :: String -> Either Problem (String, String)
check address = error "You need to implement this function."
