module DigitPersistence (digitSum, digitalRoot, persistence) where

digitSum :: Integer -> Maybe Integer
digitSum n = error "You need to implement this function."

digitalRoot :: Integer -> Maybe Integer
digitalRoot n = error "You need to implement this function."

persistence :: Integer -> Maybe Int
persistence n = error "You need to implement this function."
