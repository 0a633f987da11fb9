module Inventory (Inventory, emptyInventory, restock, sell, stockOf) where

import qualified Data.Map as Map

type Inventory = Map.Map String Int

emptyInventory :: Inventory
emptyInventory = Map.empty

restock :: String -> Int -> Inventory -> Inventory
restock item n = Map.insertWith (+) item n

sell :: String -> Int -> Inventory -> Either String Inventory
sell item n inv = case Map.lookup item inv of
  Nothing -> Left ("unknown item: " ++ item)
  Just have
    | otherwise -> Right (Map.insert item (have - n) inv)

stockOf :: String -> Inventory -> Int
stockOf item = Map.findWithDefault 0 item
