-- | Records for a small shop inventory.
module Inventory.Types
  ( Item (..)
  , Stock (..)
  , Category (..)
  , restock
  , sell
  , value
  ) where

data Category = Food | Tool | Toy
  deriving (Show, Eq, Ord, Enum, Bounded)

data Item = Item
  { itemName :: String
  , itemCategory :: Category
  , unitPrice :: Double
  } deriving (Show, Eq)

data Stock = Stock
  { stockItem :: Item
  , quantity :: Int
  } deriving (Show, Eq)

restock :: Int -> Stock -> Stock
restock n s = s { quantity = quantity s + n }

sell :: Int -> Stock -> Either String Stock
sell n s
  | n <= 0 = Left "quantity must be positive"
  | n > quantity s = Left ("only " ++ show (quantity s) ++ " left of " ++ itemName (stockItem s))
  | otherwise = Right s { quantity = quantity s - n }

value :: Stock -> Double
value s = fromIntegral (quantity s) * unitPrice (stockItem s)
