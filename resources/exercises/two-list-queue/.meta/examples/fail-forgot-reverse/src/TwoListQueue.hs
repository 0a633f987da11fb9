module TwoListQueue (Queue, emptyQueue, push, pop, size, toList) where

data Queue a = Queue [a] [a]

emptyQueue :: Queue a
emptyQueue = Queue [] []

push :: a -> Queue a -> Queue a
push x (Queue front back) = Queue front (x : back)

pop :: Queue a -> Maybe (a, Queue a)
pop (Queue [] []) = Nothing
pop (Queue [] back) = pop (Queue back [])
pop (Queue (x : front) back) = Just (x, Queue front back)

size :: Queue a -> Int
size (Queue front back) = length front + length back

toList :: Queue a -> [a]
toList (Queue front back) = front ++ reverse back
