-- | A list zipper: a focused element with the context on both sides.
module Data.Zipper (Zipper, fromList, focus, left, right, modify, toList) where

data Zipper a = Zipper [a] a [a]
  deriving Show

fromList :: [a] -> Maybe (Zipper a)
fromList [] = Nothing
fromList (x : xs) = Just (Zipper [] x xs)

focus :: Zipper a -> a
focus (Zipper _ x _) = x

left :: Zipper a -> Maybe (Zipper a)
left (Zipper (l : ls) x rs) = Just (Zipper ls l (x : rs))
left _ = Nothing

right :: Zipper a -> Maybe (Zipper a)
right (Zipper ls x (r : rs)) = Just (Zipper (x : ls) r rs)
right _ = Nothing

modify :: (a -> a) -> Zipper a -> Zipper a
modify f (Zipper ls x rs) = Zipper ls (f x) rs

toList :: Zipper a -> [a]
toList (Zipper ls x rs) = reverse ls ++ x : rs
