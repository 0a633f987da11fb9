{-# LANGUAGE FlexibleInstances #-}
-- | A multi-purpose container class with instances for lists and a bag.
module Container (Container (..), Bag, fromListC) where

import qualified Data.Map.Strict as M

class Container f where
  emptyC :: f a
  insertC :: Ord a => a -> f a -> f a
  toListC :: f a -> [a]

instance Container [] where
  emptyC = []
  insertC = (:)
  toListC = id

newtype Bag a = Bag (M.Map a Int)

instance Container Bag where
  emptyC = Bag M.empty
  insertC x (Bag m) = Bag (M.insertWith (+) x 1 m)
  toListC (Bag m) = concat [replicate n x | (x, n) <- M.toList m]

fromListC :: (Container f, Ord a) => [a] -> f a
fromListC = foldr insertC emptyC
