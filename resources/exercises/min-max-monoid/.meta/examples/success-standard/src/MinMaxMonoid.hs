module MinMaxMonoid (MinMax(..), single, range) where

data MinMax = Empty | MinMax Int Int deriving (Show, Eq)

instance Semigroup MinMax where
  Empty <> b = b
  a <> Empty = a
  MinMax lo hi <> MinMax lo' hi' = MinMax (min lo lo') (max hi hi')

instance Monoid MinMax where
  mempty = Empty

single :: Int -> MinMax
single x = MinMax x x

range :: [Int] -> Maybe (Int, Int)
range xs = case foldMap single xs of
  Empty -> Nothing
  MinMax lo hi -> Just (lo, hi)
