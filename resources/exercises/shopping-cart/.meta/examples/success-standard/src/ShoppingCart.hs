module ShoppingCart (Line(..), subtotal, applyCode, total) where

import Control.Monad (foldM)

data Line = Line { item :: String, unitPrice :: Int, quantity :: Int } deriving (Show, Eq)

subtotal :: [Line] -> Int
subtotal = sum . map (\l -> unitPrice l * quantity l)

applyCode :: String -> Int -> Either String Int
applyCode "TENOFF" cents = Right (cents - cents `div` 10)
applyCode "FIVE" cents = Right (max 0 (cents - 500))
applyCode code _ = Left ("unknown code: " ++ code)

total :: [String] -> [Line] -> Either String Int
total codes lines' = foldM (flip applyCode) (subtotal lines') codes
