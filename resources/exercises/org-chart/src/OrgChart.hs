module OrgChart (managerOf, chain, reports) where

import Data.Map (Map)

managerOf :: Map String (Maybe String) -> String -> Maybe String
managerOf chart name = error "You need to implement this function."

chain :: Map String (Maybe String) -> String -> [String]
chain chart name = error "You need to implement this function."

reports :: Map String (Maybe String) -> String -> [String]
reports chart name = error "You need to implement this function."
