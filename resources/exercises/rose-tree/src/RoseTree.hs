module RoseTree (Rose(..), depth, leaves) where

data Rose a = Rose a [Rose a] deriving (Show, Eq)

instance Functor Rose where
  fmap f tree = error "You need to implement this function."

instance Foldable Rose where
  foldr f z tree = error "You need to implement this function."

depth :: Rose a -> Int
depth tree = error "You need to implement this function."

leaves :: Rose a -> [a]
leaves tree = error "You need to implement this function."
