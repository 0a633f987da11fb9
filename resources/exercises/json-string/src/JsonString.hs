module JsonString (quote) where

quote :: String -> String
quote s = error "You need to implement this function."
