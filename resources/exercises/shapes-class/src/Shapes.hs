module Shapes (Shape(..), Circle(..), Rectangle(..), Triangle(..), totalArea, largest) where

class Shape a where
  area :: a -> Double
  perimeter :: a -> Double

data Circle = Circle { radius :: Double } deriving (Show, Eq)
data Rectangle = Rectangle { width :: Double, height :: Double } deriving (Show, Eq)
data Triangle = Triangle { sideA :: Double, sideB :: Double, sideC :: Double } deriving (Show, Eq)

totalArea :: Shape a => [a] -> Double
totalArea shapes = error "You need to implement this function."

largest :: Shape a => [a] -> Maybe a
largest shapes = error "You need to implement this function."
