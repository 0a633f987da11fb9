{-# LANGUAGE GeneralizedNewtypeDeriving #-}
-- | Newtypes that keep units apart while reusing Num.
module Units (Metres (..), Seconds (..), Speed (..), speed, addDistances) where

newtype Metres = Metres Double
  deriving (Show, Eq, Ord, Num)

newtype Seconds = Seconds Double
  deriving (Show, Eq, Ord, Num)

newtype Speed = Speed Double
  deriving (Show, Eq, Ord)

speed :: Metres -> Seconds -> Maybe Speed
speed (Metres d) (Seconds t)
  | t <= 0 = Nothing
  | otherwise = Just (Speed (d / t))

addDistances :: [Metres] -> Metres
addDistances = sum
