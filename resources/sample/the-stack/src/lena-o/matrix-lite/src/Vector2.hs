-- | Two-dimensional vectors with a Num instance for component-wise arithmetic.
module Vector2 (V2 (..), dot, norm, scale) where

data V2 = V2 !Double !Double
  deriving (Show, Eq)

instance Num V2 where
  V2 a b + V2 c d = V2 (a + c) (b + d)
  V2 a b * V2 c d = V2 (a * c) (b * d)
  abs (V2 a b) = V2 (abs a) (abs b)
  signum (V2 a b) = V2 (signum a) (signum b)
  fromInteger n = V2 (fromInteger n) (fromInteger n)
  negate (V2 a b) = V2 (negate a) (negate b)

dot :: V2 -> V2 -> Double
dot (V2 a b) (V2 c d) = a * c + b * d

norm :: V2 -> Double
norm v = sqrt (dot v v)

scale :: Double -> V2 -> V2
scale k (V2 a b) = V2 (k * a) (k * b)
