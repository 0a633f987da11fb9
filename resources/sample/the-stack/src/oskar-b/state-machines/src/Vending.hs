-- | A vending machine whose transitions are a pure function, logged with Writer.
module Vending (Event (..), Machine (..), transition, simulate) where

import Control.Monad.Writer

data Event = InsertCoin Int | Select String | Refund
  deriving Show

data Machine = Machine { credit :: Int, prices :: [(String, Int)] }

transition :: Machine -> Event -> Writer [String] Machine
transition m (InsertCoin c) = do
  tell ["credit " ++ show (credit m + c)]
  return m { credit = credit m + c }
transition m (Select item) = case lookup item (prices m) of
  Nothing -> tell ["unknown item " ++ item] >> return m
  Just p
    | p > credit m -> tell ["need " ++ show (p - credit m) ++ " more"] >> return m
    | otherwise -> tell ["vend " ++ item] >> return m { credit = credit m - p }
transition m Refund = do
  tell ["refund " ++ show (credit m)]
  return m { credit = 0 }

simulate :: Machine -> [Event] -> (Machine, [String])
simulate m events = runWriter (foldM transition m events)
