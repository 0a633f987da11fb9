module ShoppingCart (Line(..), subtotal, applyCode, total) where

data Line = Line { item :: String, unitPrice :: Int, quantity :: Int } deriving (Show, Eq)

subtotal :: [Line] -> Int
subtotal lines' = error "You need to implement this function."

applyCode :: String -> Int -> Either String Int
applyCode code cents = error "You need to implement this function."

total :: [String] -> [Line] -> Either String Int
total codes lines' = error "You need to implement this function."
