module DivisionChain (divideAll, divideEach) where

divideAll :: Int -> [Int] -> Maybe Int
divideAll start divisors = error "You need to implement this function."

divideEach :: Int -> [Int] -> [Int]
divideEach n divisors = error "You need to implement this function."
