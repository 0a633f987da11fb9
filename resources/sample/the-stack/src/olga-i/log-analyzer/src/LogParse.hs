-- | Parse web server log lines into records; keep bad lines with their line numbers.
module LogParse (Entry (..), Level (..), parseLine, parseLog) where

import Data.Either (partitionEithers)
import Text.Read (readMaybe)

data Level = Info | Warn | Error
  deriving (Show, Eq, Ord)

data Entry = Entry { timestamp :: Int, level :: Level, message :: String }
  deriving Show

parseLine :: String -> Maybe Entry
parseLine line = case words line of
  (lvl : ts : rest) -> Entry <$> readMaybe ts <*> parseLevel lvl <*> pure (unwords rest)
  _ -> Nothing
  where
    parseLevel "I" = Just Info
    parseLevel "W" = Just Warn
    parseLevel "E" = Just Error
    parseLevel _ = Nothing

parseLog :: String -> ([Int], [Entry])
parseLog = partitionEithers . zipWith classify [1 ..] . lines
  where
    classify n l = maybe (Left n) Right (parseLine l)
