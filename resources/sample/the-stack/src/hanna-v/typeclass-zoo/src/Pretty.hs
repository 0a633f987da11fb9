-- | A Pretty class for human-readable rendering, separate from Show.
module Pretty (Pretty (..), render) where

import Data.List (intercalate)
import qualified Data.Map as M

class Pretty a where
  pretty :: a -> String
  prettyList :: [a] -> String
  prettyList xs = "[" ++ intercalate ", " (map pretty xs) ++ "]"

instance Pretty Bool where
  pretty True = "yes"
  pretty False = "no"

instance Pretty Int where
  pretty = show

instance Pretty Char where
  pretty c = [c]
  prettyList s = show s

instance Pretty a => Pretty [a] where
  pretty = prettyList

instance Pretty a => Pretty (Maybe a) where
  pretty Nothing = "-"
  pretty (Just x) = pretty x

instance (Pretty k, Pretty v) => Pretty (M.Map k v) where
  pretty m = intercalate "\n" [pretty k ++ ": " ++ pretty v | (k, v) <- M.toList m]

render :: Pretty a => a -> IO ()
render = putStrLn . pretty
