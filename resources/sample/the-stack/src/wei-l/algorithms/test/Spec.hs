module Main (main) where

import DP.EditDistance (editDistance)
import Sort.Merge (mergeSort)
import Test.QuickCheck
import Data.List (sort)

prop_mergeSortSorts :: [Int] -> Bool
prop_mergeSortSorts xs = mergeSort xs == sort xs

prop_editDistanceSelf :: String -> Bool
prop_editDistanceSelf s = editDistance s s == 0

prop_editDistanceSymmetric :: String -> String -> Bool
prop_editDistanceSymmetric a b = editDistance a b == editDistance b a

main :: IO ()
main = do
  quickCheck prop_mergeSortSorts
  quickCheck prop_editDistanceSelf
  quickCheck prop_editDistanceSymmetric
