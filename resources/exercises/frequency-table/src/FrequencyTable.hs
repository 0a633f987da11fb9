module FrequencyTable (frequencies, mostCommon, atLeast) where

import Data.Map (Map)

frequencies :: Ord a => [a] -> Map a Int
frequencies xs = error "You need to implement this function."

mostCommon :: Ord a => [a] -> Maybe a
mostCommon xs = error "You need to implement this function."

atLeast :: Ord a => Int -> [a] -> [a]
atLeast n xs = error "You need to implement this function."
