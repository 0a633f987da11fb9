-- | Everyday monoids: statistics that combine, so they can be computed with foldMap.
module Monoids (Stats (..), stat, mean, summarise) where

data Stats = Stats { count :: !Int, total :: !Double, smallest :: !Double, largest :: !Double }
  deriving Show

instance Semigroup Stats where
  Stats c1 t1 s1 l1 <> Stats c2 t2 s2 l2 = Stats (c1 + c2) (t1 + t2) (min s1 s2) (max l1 l2)

instance Monoid Stats where
  mempty = Stats 0 0 (1 / 0) (-1 / 0)

stat :: Double -> Stats
stat x = Stats 1 x x x

mean :: Stats -> Maybe Double
mean s
  | count s == 0 = Nothing
  | otherwise = Just (total s / fromIntegral (count s))

summarise :: [Double] -> Stats
summarise = foldMap stat
