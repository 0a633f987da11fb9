-- | 0/1 knapsack with a lazily filled array (each cell computed once).
module DP.Knapsack (knapsack) where

import Data.Array

-- | Best total value within the capacity; items are (weight, value).
knapsack :: Int -> [(Int, Int)] -> Int
knapsack capacity items = table ! (n, capacity)
  where
    n = length items
    itemArr = listArray (1, n) items
    table = array ((0, 0), (n, capacity))
      [((i, w), best i w) | i <- [0 .. n], w <- [0 .. capacity]]
    best 0 _ = 0
    best i w =
      let (wi, vi) = itemArr ! i
          skip = table ! (i - 1, w)
       in if wi > w then skip else max skip (vi + table ! (i - 1, w - wi))
