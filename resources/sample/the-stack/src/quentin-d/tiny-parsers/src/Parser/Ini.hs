-- | INI files: [sections] of key = value lines, comments starting with ';' or '#'.
module Parser.Ini (Ini, parseIni, lookupKey) where

import Data.Char (isSpace)
import qualified Data.Map.Strict as M

type Ini = M.Map String (M.Map String String)

parseIni :: String -> Either String Ini
parseIni = go "" M.empty . zip [1 :: Int ..] . lines
  where
    go _ acc [] = Right acc
    go section acc ((n, raw) : rest) = case trim raw of
      "" -> go section acc rest
      (c : _) | c `elem` ";#" -> go section acc rest
      ('[' : more) | last more == ']' -> go (init more) (M.insertWith M.union (init more) M.empty acc) rest
      line -> case break (== '=') line of
        (k, '=' : v) -> go section (M.insertWith M.union section (M.singleton (trim k) (trim v)) acc) rest
        _ -> Left ("line " ++ show n ++ ": expected key = value")
    trim = dropWhileEnd' isSpace . dropWhile isSpace
    dropWhileEnd' p = reverse . dropWhile p . reverse

lookupKey :: String -> String -> Ini -> Maybe String
lookupKey section key ini = M.lookup section ini >>= M.lookup key
