module RoseTree (Rose(..), depth, leaves) where

data Rose a = Rose a [Rose a] deriving (Show, Eq)

instance Functor Rose where
  fmap f (Rose x kids) = Rose (f x) (map (fmap f) kids)

instance Foldable Rose where
  foldr f z (Rose x kids) = f x (foldr (\kid acc -> foldr f acc kid) z kids)

depth :: Rose a -> Int
depth (Rose _ kids) = 1 + maximum (0 : map depth kids)

leaves :: Rose a -> [a]
leaves (Rose x []) = [x]
leaves (Rose _ kids) = concatMap leaves kids
