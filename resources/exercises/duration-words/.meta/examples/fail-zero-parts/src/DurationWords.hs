module DurationWords (formatDuration, parseDuration) where

import Data.Char (isDigit)

units :: [(Char, Int)]
units = [('d', 86400), ('h', 3600), ('m', 60), ('s', 1)]

formatDuration :: Int -> Maybe String
formatDuration seconds
  | seconds < 0 = Nothing
  | seconds == 0 = Just "0s"
  | otherwise = Just (unwords (go seconds units))
  where
    go _ [] = []
    go n ((name, size) : rest)
      | otherwise = (show (n `div` size) ++ [name]) : go (n `mod` size) rest

parseDuration :: String -> Maybe Int
parseDuration text = go (words text) units
  where
    go [] _ = if null (words text) then Nothing else Just 0
    go (w : ws) remaining = case span isDigit w of
      (digits@(_ : _), [name]) -> case dropWhile ((/= name) . fst) remaining of
        ((_, size) : rest) -> (read digits * size +) <$> go ws rest
        [] -> Nothing
      _ -> Nothing
