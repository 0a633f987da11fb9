-- | Banker's queue: two lists, amortised O(1) 'snoc' and 'uncons'.
module Data.Queue.Banker
  ( Queue
  , emptyQueue
  , snoc
  , uncons
  , queueToList
  ) where

-- | Front list is read in order; the rear list is kept reversed.
data Queue a = Queue
  { front :: [a]
  , rear  :: [a]
  }

instance Show a => Show (Queue a) where
  showsPrec d q = showParen (d > 10) $ showString "fromList " . shows (queueToList q)

emptyQueue :: Queue a
emptyQueue = Queue [] []

-- | Add to the back. Invariant: the front is empty only when the whole queue is.
snoc :: Queue a -> a -> Queue a
snoc (Queue [] _) x = Queue [x] []
snoc (Queue f r) x  = Queue f (x : r)

-- | Remove from the front.
uncons :: Queue a -> Maybe (a, Queue a)
uncons (Queue [] _)       = Nothing
uncons (Queue [x] r)      = Just (x, Queue (reverse r) [])
uncons (Queue (x : f) r)  = Just (x, Queue f r)

queueToList :: Queue a -> [a]
queueToList (Queue f r) = f ++ reverse r
