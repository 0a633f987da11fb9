newtype MaxInt = MaxInt Int
  deriving Show

instance Semigroup MaxInt where
  MaxInt a <> MaxInt b = MaxInt (max a b)

instance Monoid MaxInt where
  mempty = MaxInt minBound

largest :: [Int] -> Int
largest xs = let MaxInt m = foldMap MaxInt xs in m
