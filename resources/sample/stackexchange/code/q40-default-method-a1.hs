class Shape a where
  area :: a -> Double
  perimeter :: a -> Double
  describe :: a -> String
  describe s = "shape with area " ++ show (area s)

data Square = Square Double

instance Shape Square where
  area (Square s) = s * s
  perimeter (Square s) = 4 * s
