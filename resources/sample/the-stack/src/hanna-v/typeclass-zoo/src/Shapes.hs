-- | A small type class hierarchy for geometric shapes.
module Shapes (Shape (..), Circle (..), Rect (..), Triangle (..), totalArea) where

class Shape s where
  area :: s -> Double
  perimeter :: s -> Double
  name :: s -> String
  name _ = "shape"

newtype Circle = Circle Double
data Rect = Rect Double Double
data Triangle = Triangle Double Double Double

instance Shape Circle where
  area (Circle r) = pi * r * r
  perimeter (Circle r) = 2 * pi * r
  name _ = "circle"

instance Shape Rect where
  area (Rect w h) = w * h
  perimeter (Rect w h) = 2 * (w + h)
  name _ = "rectangle"

instance Shape Triangle where
  area (Triangle a b c) = let s = (a + b + c) / 2 in sqrt (s * (s - a) * (s - b) * (s - c))
  perimeter (Triangle a b c) = a + b + c

totalArea :: Shape s => [s] -> Double
totalArea = sum . map area
