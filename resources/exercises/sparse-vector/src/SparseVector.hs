module SparseVector (Sparse, fromList, toList, add, scale, dot) where

import Data.Map (Map)

newtype Sparse = Sparse (Map Int Integer) deriving (Show, Eq)

fromList :: [(Int, Integer)] -> Sparse
fromList pairs = error "You need to implement this function."

toList :: Sparse -> [(Int, Integer)]
toList v = error "You need to implement this function."

add :: Sparse -> Sparse -> Sparse
add a b = error "You need to implement this function."

scale :: Integer -> Sparse -> Sparse
scale k v = error "You need to implement this function."

dot :: Sparse -> Sparse -> Integer
dot a b = error "You need to implement this function."
