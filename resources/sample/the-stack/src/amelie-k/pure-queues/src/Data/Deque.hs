-- | Double-ended queue with both ends as lists; rebalances by splitting when one side empties.
module Data.Deque (Deque, emptyDeque, pushFront, pushBack, popFront, popBack) where

data Deque a = Deque [a] [a]
  deriving Show

emptyDeque :: Deque a
emptyDeque = Deque [] []

pushFront :: a -> Deque a -> Deque a
pushFront x (Deque f b) = Deque (x : f) b

pushBack :: a -> Deque a -> Deque a
pushBack x (Deque f b) = Deque f (x : b)

popFront :: Deque a -> Maybe (a, Deque a)
popFront (Deque [] []) = Nothing
popFront (Deque [] b) = popFront (balance b)
  where balance ys = let (r, l) = splitAt (length ys `div` 2) ys in Deque (reverse l) r
popFront (Deque (x : f) b) = Just (x, Deque f b)

popBack :: Deque a -> Maybe (a, Deque a)
popBack (Deque [] []) = Nothing
popBack (Deque f []) = popBack (balance f)
  where balance xs = let (l, r) = splitAt (length xs `div` 2) xs in Deque l (reverse r)
popBack (Deque f (x : b)) = Just (x, Deque f b)
