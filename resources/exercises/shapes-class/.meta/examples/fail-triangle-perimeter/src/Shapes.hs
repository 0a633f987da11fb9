module Shapes (Shape(..), Circle(..), Rectangle(..), Triangle(..), totalArea, largest) where

class Shape a where
  area :: a -> Double
  perimeter :: a -> Double

data Circle = Circle { radius :: Double } deriving (Show, Eq)
data Rectangle = Rectangle { width :: Double, height :: Double } deriving (Show, Eq)
data Triangle = Triangle { sideA :: Double, sideB :: Double, sideC :: Double } deriving (Show, Eq)

instance Shape Circle where
  area (Circle r) = pi * r * r
  perimeter (Circle r) = 2 * pi * r

instance Shape Rectangle where
  area (Rectangle w h) = w * h
  perimeter (Rectangle w h) = 2 * (w + h)

instance Shape Triangle where
  area t = let s = perimeter t / 2
           in sqrt (s * (s - sideA t) * (s - sideB t) * (s - sideC t))
  perimeter (Triangle a b _) = a + b

totalArea :: Shape a => [a] -> Double
totalArea = sum . map area

largest :: Shape a => [a] -> Maybe a
largest [] = Nothing
largest (s : rest) = Just (foldl pick s rest)
  where pick best x = if area x > area best then x else best
