module OrgChart (managerOf, chain, reports) where

import Data.Map (Map)
import qualified Data.Map as Map

managerOf :: Map String (Maybe String) -> String -> Maybe String
managerOf chart name = Map.lookup name chart >>= id

chain :: Map String (Maybe String) -> String -> [String]
chain chart name = go [name] (managerOf chart name)
  where
    go _ Nothing = []
    go seen (Just boss)
      | boss `elem` seen = []
      | otherwise = boss : go (boss : seen) (managerOf chart boss)

reports :: Map String (Maybe String) -> String -> [String]
reports chart name = Map.keys (Map.filter (== Just name) chart)
