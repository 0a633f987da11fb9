module Gradebook (Student(..), average, letter, honourRoll, report) where

data Student = Student { name :: String, scores :: [Double] } deriving (Show, Eq)

average :: Student -> Maybe Double
average (Student _ []) = Nothing
average (Student _ xs) = Just (sum xs / fromIntegral (length xs))

letter :: Double -> Char
letter avg
  | avg > 90 = 'A'
  | avg >= 80 = 'B'
  | avg >= 70 = 'C'
  | avg >= 60 = 'D'
  | otherwise = 'F'

honourRoll :: [Student] -> [String]
honourRoll students = [name s | s <- students, maybe False (> 90) (average s)]

report :: Student -> String
report s = name s ++ ": " ++ maybe "no scores" (pure . letter) (average s)
