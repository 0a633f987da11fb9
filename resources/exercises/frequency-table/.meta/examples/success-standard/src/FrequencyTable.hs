module FrequencyTable (frequencies, mostCommon, atLeast) where

import Data.Map (Map)
import qualified Data.Map as Map

frequencies :: Ord a => [a] -> Map a Int
frequencies xs = Map.fromListWith (+) [(x, 1) | x <- xs]

mostCommon :: Ord a => [a] -> Maybe a
mostCommon xs = case Map.toList (frequencies xs) of
  [] -> Nothing
  counts -> Just (fst (foldl1 better counts))
  where better best next = if snd next > snd best then next else best

atLeast :: Ord a => Int -> [a] -> [a]
atLeast n = Map.keys . Map.filter (>= n) . frequencies
