-- | A purely functional FIFO queue built from two lists (Okasaki's banker's queue without
-- laziness tricks). Amortised O(1) push and pop when used single-threadedly.
module Data.Queue
  ( Queue
  , empty
  , push
  , pop
  , toList
  ) where

data Queue a = Queue [a] [a]

empty :: Queue a
empty = Queue [] []

push :: a -> Queue a -> Queue a
push x (Queue front back) = Queue front (x : back)

pop :: Queue a -> Maybe (a, Queue a)
pop (Queue [] []) = Nothing
pop (Queue [] back) = pop (Queue (reverse back) [])
pop (Queue (x : front) back) = Just (x, Queue front back)

toList :: Queue a -> [a]
toList (Queue front back) = front ++ reverse back
