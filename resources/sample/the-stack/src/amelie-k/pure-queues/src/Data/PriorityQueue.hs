-- | A leftist heap: a priority queue with O(log n) insert, merge and deleteMin.
module Data.PriorityQueue (Heap, emptyHeap, insertHeap, mergeHeaps, popMin, heapSort) where

data Heap a = E | T Int a (Heap a) (Heap a)

rank :: Heap a -> Int
rank E = 0
rank (T r _ _ _) = r

makeT :: a -> Heap a -> Heap a -> Heap a
makeT x a b
  | rank a >= rank b = T (rank b + 1) x a b
  | otherwise = T (rank a + 1) x b a

emptyHeap :: Heap a
emptyHeap = E

mergeHeaps :: Ord a => Heap a -> Heap a -> Heap a
mergeHeaps h E = h
mergeHeaps E h = h
mergeHeaps h1@(T _ x a1 b1) h2@(T _ y a2 b2)
  | x <= y = makeT x a1 (mergeHeaps b1 h2)
  | otherwise = makeT y a2 (mergeHeaps h1 b2)

insertHeap :: Ord a => a -> Heap a -> Heap a
insertHeap x = mergeHeaps (T 1 x E E)

popMin :: Ord a => Heap a -> Maybe (a, Heap a)
popMin E = Nothing
popMin (T _ x a b) = Just (x, mergeHeaps a b)

heapSort :: Ord a => [a] -> [a]
heapSort = drain . foldr insertHeap emptyHeap
  where
    drain h = case popMin h of
      Nothing -> []
      Just (x, h') -> x : drain h'
