{-# LANGUAGE DeriveTraversable #-}
-- | Rose trees with derived Functor, Foldable and Traversable, plus a few folds.
module Data.Rose (Rose (..), depth, flatten, paths, prune) where

data Rose a = Rose a [Rose a]
  deriving (Show, Eq, Functor, Foldable, Traversable)

depth :: Rose a -> Int
depth (Rose _ []) = 1
depth (Rose _ kids) = 1 + maximum (map depth kids)

flatten :: Rose a -> [a]
flatten = foldr (:) []

-- | Every root-to-leaf path.
paths :: Rose a -> [[a]]
paths (Rose x []) = [[x]]
paths (Rose x kids) = map (x :) (concatMap paths kids)

-- | Cut the tree below the given depth.
prune :: Int -> Rose a -> Rose a
prune n (Rose x kids)
  | n <= 1 = Rose x []
  | otherwise = Rose x (map (prune (n - 1)) kids)
