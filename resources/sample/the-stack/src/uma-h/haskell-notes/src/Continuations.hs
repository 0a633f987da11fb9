-- | Continuation-passing style with the Cont monad: early exit from a loop.
module Continuations (firstNegative, factorialCPS) where

import Control.Monad (forM_, when)
import Control.Monad.Cont

firstNegative :: [Int] -> Maybe Int
firstNegative xs = flip runCont id $ callCC $ \exit -> do
  forM_ xs $ \x -> when (x < 0) (exit (Just x))
  return Nothing

factorialCPS :: Integer -> (Integer -> r) -> r
factorialCPS 0 k = k 1
factorialCPS n k = factorialCPS (n - 1) (k . (* n))
