module Settings (parseSettings) where

import Data.Char (isSpace)
import Data.Map (Map)
import qualified Data.Map as Map

parseSettings :: String -> Either String (Map String String)
parseSettings text = Map.fromList . concat <$> traverse parseLine (zip [1 :: Int ..] (lines text))
  where
    parseLine (number, line)
      | all isSpace line = Right []
      | take 1 (trim line) == "#" = Right []
      | otherwise = case break (== '=') line of
          (key, '=' : value) | not (null (trim key)) -> Right [(trim key, trim value)]
          _ -> Left ("line " ++ show number ++ ": " ++ line)

trim :: String -> String
trim = dropWhileEnd' . dropWhile isSpace
  where dropWhileEnd' = reverse . dropWhile isSpace . reverse
