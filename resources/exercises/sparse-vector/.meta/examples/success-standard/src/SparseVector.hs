module SparseVector (Sparse, fromList, toList, add, scale, dot) where

import Data.Map (Map)
import qualified Data.Map as Map

newtype Sparse = Sparse (Map Int Integer) deriving (Show, Eq)

nonZero :: Map Int Integer -> Sparse
nonZero = Sparse . Map.filter (/= 0)

fromList :: [(Int, Integer)] -> Sparse
fromList = nonZero . Map.fromListWith (+)

toList :: Sparse -> [(Int, Integer)]
toList (Sparse m) = Map.toAscList m

add :: Sparse -> Sparse -> Sparse
add (Sparse a) (Sparse b) = nonZero (Map.unionWith (+) a b)

scale :: Integer -> Sparse -> Sparse
scale k (Sparse m) = nonZero (Map.map (* k) m)

dot :: Sparse -> Sparse -> Integer
dot (Sparse a) (Sparse b) = sum (Map.intersectionWith (*) a b)
