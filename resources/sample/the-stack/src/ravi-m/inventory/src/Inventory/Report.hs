-- | Summaries of an inventory by category.
module Inventory.Report (Line (..), byCategory, lowStock) where

import qualified Data.Map.Strict as M

data Line = Line { lineName :: String, lineCategory :: String, lineQty :: Int, linePrice :: Double }

-- | Total stock value per category.
byCategory :: [Line] -> M.Map String Double
byCategory ls = M.fromListWith (+) [(lineCategory l, fromIntegral (lineQty l) * linePrice l) | l <- ls]

-- | Names of items at or below the threshold, most urgent first.
lowStock :: Int -> [Line] -> [String]
lowStock threshold ls =
  map snd (M.toAscList (M.fromList [((lineQty l, lineName l), lineName l) | l <- ls, lineQty l <= threshold]))
