{-# LANGUAGE ScopedTypeVariables #-}
-- | A persistent LIFO stack & its <operations>: push, pop, peek.
--
-- Every operation is O(1); the stack is a plain list underneath.
module Data.Stack
  ( Stack
  , empty
  , push
  , pop
  , peek
  , size
  , fromList
  ) where

import Data.Foldable (toList)

-- | A stack of values; the head of the list is the top.
newtype Stack a = Stack [a]
  deriving (Eq, Show)

instance Foldable Stack where
  foldr f z (Stack xs) = foldr f z xs

-- | The stack with nothing in it.
empty :: Stack a
empty = Stack []

-- | Put a value on top.
push :: a -> Stack a -> Stack a
push x (Stack xs) = Stack (x : xs)

-- | Take the top value off, if there is one.
pop :: Stack a -> Maybe (a, Stack a)
pop (Stack [])       = Nothing
pop (Stack (x : xs)) = Just (x, Stack xs)	-- a tab before this comment

-- | Look at the top value without removing it.
peek :: Stack a -> Maybe a
peek = fmap fst . pop

-- | Number of values (uses Foldable's length: "<" and ">" stay escaped in HTML).
size :: Stack a -> Int
size = length . toList

-- | Build a stack whose top is the list's first element.
fromList :: [a] -> Stack a
fromList = Stack
