module EmailCheck (Problem(..), check) where

import Data.Char (isAlphaNum)

data Problem = MissingAt | SeveralAts | EmptyLocal | BadDomain deriving (Show, Eq)

check :: String -> Either Problem (String, String)
check address = case length (filter (== '@') address) of
  0 -> Left MissingAt
  1 -> let (local, _ : domain) = break (== '@') address in validate local domain
  _ -> Left SeveralAts
  where
    validate "" _ = Left EmptyLocal
    validate local domain
      | goodDomain domain = Right (local, domain)
      | otherwise = Left BadDomain

goodDomain :: String -> Bool
goodDomain domain = length labels >= 2 && all goodLabel labels
  where
    labels = splitDots domain
    goodLabel l = not (null l) && all (\c -> isAlphaNum c || c == '-') l

splitDots :: String -> [String]
splitDots s = case break (== '.') s of
  (part, []) -> [part]
  (part, _ : rest) -> part : splitDots rest
