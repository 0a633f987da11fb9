module VersionOrder (Version(..), parseVersion, bumpMinor, newest) where

import Data.Char (isDigit)
import Data.Maybe (mapMaybe)

data Version = Version { major :: Int, minor :: Int, patch :: Int } deriving (Show, Eq, Ord)

parseVersion :: String -> Maybe Version
parseVersion text = case mapM number (splitDots text) of
  Just [a, b, c] -> Just (Version a b c)
  _ -> Nothing
  where
    number part
      | not (null part) && all isDigit part = Just (read part)
      | otherwise = Nothing

splitDots :: String -> [String]
splitDots s = case break (== '.') s of
  (part, []) -> [part]
  (part, _ : rest) -> part : splitDots rest

bumpMinor :: Version -> Version
bumpMinor v = v { minor = minor v + 1, patch = 0 }

newest :: [String] -> Maybe Version
newest texts = case mapMaybe parseVersion texts of
  [] -> Nothing
  versions -> Just (snd (maximum [(t, v) | (t, Just v) <- zip texts (map parseVersion texts), v `elem` versions]))
