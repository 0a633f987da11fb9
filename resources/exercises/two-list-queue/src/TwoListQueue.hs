module TwoListQueue (Queue, emptyQueue, push, pop, size, toList) where

data Queue a = Queue [a] [a]

emptyQueue :: Queue a
emptyQueue = error "You need to implement this function."

push :: a -> Queue a -> Queue a
push x queue = error "You need to implement this function."

pop :: Queue a -> Maybe (a, Queue a)
pop queue = error "You need to implement this function."

size :: Queue a -> Int
size queue = error "You need to implement this function."

toList :: Queue a -> [a]
toList queue = error "You need to implement this function."
