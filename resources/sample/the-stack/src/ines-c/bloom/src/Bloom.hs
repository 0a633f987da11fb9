-- | An immutable Bloom filter over an unboxed bit array, with double hashing.
module Bloom (Bloom, fromListB, mayContain) where

import Data.Array.Unboxed
import Data.Bits (xor)
import Data.Char (ord)
import Data.List (foldl')

data Bloom = Bloom { bits :: UArray Int Bool, hashes :: Int }

hash :: Int -> String -> Int
hash seed = foldl' (\h c -> (h * 16777619) `xor` ord c) (2166136261 + seed)

positions :: Int -> Int -> String -> [Int]
positions size k s = [(h1 + i * h2) `mod` size | i <- [0 .. k - 1]]
  where
    h1 = abs (hash 0 s)
    h2 = abs (hash 7 s) + 1

fromListB :: Int -> Int -> [String] -> Bloom
fromListB size k xs = Bloom arr k
  where
    arr = accumArray (\_ b -> b) False (0, size - 1) [(p, True) | x <- xs, p <- positions size k x]

mayContain :: Bloom -> String -> Bool
mayContain (Bloom arr k) s = all (arr !) (positions (rangeSize (bounds arr)) k s)
