module Gradebook (Student(..), average, letter, honourRoll, report) where

data Student = Student { name :: String, scores :: [Double] } deriving (Show, Eq)

average :: Student -> Maybe Double
average student = error "You need to implement this function."

letter :: Double -> Char
letter avg = error "You need to implement this function."

honourRoll :: [Student] -> [String]
honourRoll students = error "You need to implement this function."

report :: Student -> String
report student = error "You need to implement this function."
