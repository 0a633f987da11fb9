module Inventory (Inventory, emptyInventory, restock, sell, stockOf) where

import qualified Data.Map as Map

type Inventory = Map.Map String Int

emptyInventory :: Inventory
emptyInventory = error "You need to implement this function."

restock :: String -> Int -> Inventory -> Inventory
restock item n inv = error "You need to implement this function."

sell :: String -> Int -> Inventory -> Either String Inventory
sell item n inv = error "You need to implement this function."

stockOf :: String -> Inventory -> Int
stockOf item inv = error "You need to implement this function."
