-- | A JSON value type with a hand-written encoder (escaping per RFC 8259).
module Data.Json.Types (Value (..), encode) where

import Data.Char (ord)
import Data.List (intercalate)
import Numeric (showHex)

data Value
  = Null
  | Bool Bool
  | Number Double
  | String String
  | Array [Value]
  | Object [(String, Value)]
  deriving (Show, Eq)

encode :: Value -> String
encode Null = "null"
encode (Bool b) = if b then "true" else "false"
encode (Number n)
  | n == fromInteger (round n) = show (round n :: Integer)
  | otherwise = show n
encode (String s) = quote s
encode (Array vs) = "[" ++ intercalate "," (map encode vs) ++ "]"
encode (Object kvs) = "{" ++ intercalate "," [quote k ++ ":" ++ encode v | (k, v) <- kvs] ++ "}"

quote :: String -> String
quote s = "\"" ++ concatMap escape s ++ "\""
  where
    escape '"' = "\\\""
    escape '\\' = "\\\\"
    escape '\n' = "\\n"
    escape c
      | ord c < 0x20 = "\\u" ++ replicate (4 - length h) '0' ++ h
      | otherwise = [c]
      where
        h = showHex (ord c) ""
