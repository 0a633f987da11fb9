module Settings (parseSettings) where

import Data.Map (Map)

parseSettings :: String -> Either String (Map String String)
parseSettings text = error "You need to implement this function."
