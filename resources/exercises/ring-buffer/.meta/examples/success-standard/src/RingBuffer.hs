module RingBuffer (Buffer, newBuffer, push, contents, size) where

data Buffer a = Buffer Int [a]

newBuffer :: Int -> Maybe (Buffer a)
newBuffer capacity
  | capacity <= 0 = Nothing
  | otherwise = Just (Buffer capacity [])

push :: a -> Buffer a -> Buffer a
push x (Buffer capacity newestFirst) = Buffer capacity (take capacity (x : newestFirst))

contents :: Buffer a -> [a]
contents (Buffer _ newestFirst) = reverse newestFirst

size :: Buffer a -> Int
size (Buffer _ newestFirst) = length newestFirst
