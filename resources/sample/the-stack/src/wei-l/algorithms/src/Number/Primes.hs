-- | Primes: a sieve of Eratosthenes on an unboxed array and trial-division factorisation.
module Number.Primes (primesUpTo, factorise, isPrime) where

import Control.Monad (forM_, when)
import Data.Array.ST (newArray, readArray, runSTUArray, writeArray)
import Data.Array.Unboxed (UArray, assocs)

primesUpTo :: Int -> [Int]
primesUpTo n
  | n < 2 = []
  | otherwise = [i | (i, True) <- assocs sieve]
  where
    sieve :: UArray Int Bool
    sieve = runSTUArray $ do
      arr <- newArray (2, n) True
      forM_ [2 .. n] $ \i -> do
        isP <- readArray arr i
        when (isP && i * i <= n) $ forM_ [i * i, i * i + i .. n] $ \j -> writeArray arr j False
      return arr

factorise :: Int -> [Int]
factorise = go 2
  where
    go p n
      | n < 2 = []
      | p * p > n = [n]
      | n `mod` p == 0 = p : go p (n `div` p)
      | otherwise = go (p + 1) n

isPrime :: Int -> Bool
isPrime n = n > 1 && factorise n == [n]
