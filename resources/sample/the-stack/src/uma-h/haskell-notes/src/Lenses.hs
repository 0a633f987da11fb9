{-# LANGUAGE RankNTypes #-}
-- | Van Laarhoven lenses from scratch: a lens is a function polymorphic in a Functor.
module Lenses (Lens, view, over, set, _1, _2, Point (..), px, py) where

import Data.Functor.Const (Const (..))
import Data.Functor.Identity (Identity (..))

type Lens s a = forall f. Functor f => (a -> f a) -> s -> f s

view :: Lens s a -> s -> a
view l = getConst . l Const

over :: Lens s a -> (a -> a) -> s -> s
over l f = runIdentity . l (Identity . f)

set :: Lens s a -> a -> s -> s
set l x = over l (const x)

_1 :: Lens (a, b) a
_1 f (a, b) = (\a' -> (a', b)) <$> f a

_2 :: Lens (a, b) b
_2 f (a, b) = (\b' -> (a, b')) <$> f b

data Point = Point { _x :: Double, _y :: Double }
  deriving Show

px, py :: Lens Point Double
px f p = (\v -> p { _x = v }) <$> f (_x p)
py f p = (\v -> p { _y = v }) <$> f (_y p)
