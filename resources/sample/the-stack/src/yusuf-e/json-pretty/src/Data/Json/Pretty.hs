-- | Indented rendering of a small JSON-like tree.
module Data.Json.Pretty (Node (..), prettyPrint) where

import Data.List (intercalate)

data Node = Leaf String | List [Node] | Dict [(String, Node)]

prettyPrint :: Int -> Node -> String
prettyPrint indentBy = go 0
  where
    pad n = replicate (n * indentBy) ' '
    go _ (Leaf s) = s
    go _ (List []) = "[]"
    go _ (Dict []) = "{}"
    go d (List xs) = "[\n" ++ items d (map (go (d + 1)) xs) ++ "\n" ++ pad d ++ "]"
    go d (Dict kvs) = "{\n" ++ items d [show k ++ ": " ++ go (d + 1) v | (k, v) <- kvs] ++ "\n" ++ pad d ++ "}"
    items d = intercalate ",\n" . map (pad (d + 1) ++)
