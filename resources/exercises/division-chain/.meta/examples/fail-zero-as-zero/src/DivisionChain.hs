module DivisionChain (divideAll, divideEach) where

import Control.Monad (foldM)
import Data.Maybe (mapMaybe)

safeDiv :: Int -> Int -> Maybe Int
safeDiv _ 0 = Just 0
safeDiv a b = Just (a `div` b)

divideAll :: Int -> [Int] -> Maybe Int
divideAll = foldM safeDiv

divideEach :: Int -> [Int] -> [Int]
divideEach n = mapMaybe (safeDiv n)
