{-# LANGUAGE RankNTypes #-}
-- | Church numerals and booleans as rank-2 types.
module Lambda.Church (Church, zero, suc, add, mul, toInt, fromInt, CBool, true, false, cif) where

newtype Church = Church (forall a. (a -> a) -> a -> a)

zero :: Church
zero = Church (\_ x -> x)

suc :: Church -> Church
suc (Church n) = Church (\f x -> f (n f x))

add :: Church -> Church -> Church
add (Church m) (Church n) = Church (\f x -> m f (n f x))

mul :: Church -> Church -> Church
mul (Church m) (Church n) = Church (\f -> m (n f))

toInt :: Church -> Int
toInt (Church n) = n (+ 1) 0

fromInt :: Int -> Church
fromInt k = iterate suc zero !! k

newtype CBool = CBool (forall a. a -> a -> a)

true, false :: CBool
true = CBool const
false = CBool (\_ y -> y)

cif :: CBool -> a -> a -> a
cif (CBool b) = b
