module RingBuffer (Buffer, newBuffer, push, contents, size) where

data Buffer a = Buffer Int [a]

newBuffer :: Int -> Maybe (Buffer a)
newBuffer capacity = error "You need to implement this function."

push :: a -> Buffer a -> Buffer a
push x buffer = error "You need to implement this function."

contents :: Buffer a -> [a]
contents buffer = error "You need to implement this function."

size :: Buffer a -> Int
size buffer = error "You need to implement this function."
