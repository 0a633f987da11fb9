-- | Infinite streams as a comonad-like structure: always a head, always a tail.
module Streams (Stream (..), sfrom, stake, smap, sinterleave, naturals) where

data Stream a = Cons a (Stream a)

sfrom :: (a -> a) -> a -> Stream a
sfrom f x = Cons x (sfrom f (f x))

stake :: Int -> Stream a -> [a]
stake n (Cons x xs)
  | n <= 0 = []
  | otherwise = x : stake (n - 1) xs

smap :: (a -> b) -> Stream a -> Stream b
smap f (Cons x xs) = Cons (f x) (smap f xs)

sinterleave :: Stream a -> Stream a -> Stream a
sinterleave (Cons x xs) ys = Cons x (sinterleave ys xs)

naturals :: Stream Integer
naturals = sfrom (+ 1) 0
