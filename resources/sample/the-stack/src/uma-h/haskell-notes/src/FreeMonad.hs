{-# LANGUAGE DeriveFunctor #-}
-- | A free monad for a tiny key-value DSL, with a pure interpreter over a Map.
module FreeMonad (Free (..), KV (..), get', put', program, runPure) where

import qualified Data.Map as M

data Free f a = Pure a | Free (f (Free f a))

instance Functor f => Functor (Free f) where
  fmap f (Pure a) = Pure (f a)
  fmap f (Free x) = Free (fmap (fmap f) x)

instance Functor f => Applicative (Free f) where
  pure = Pure
  Pure f <*> x = fmap f x
  Free g <*> x = Free (fmap (<*> x) g)

instance Functor f => Monad (Free f) where
  Pure a >>= k = k a
  Free x >>= k = Free (fmap (>>= k) x)

data KV next = Get String (Maybe Int -> next) | Put String Int next
  deriving Functor

get' :: String -> Free KV (Maybe Int)
get' k = Free (Get k Pure)

put' :: String -> Int -> Free KV ()
put' k v = Free (Put k v (Pure ()))

program :: Free KV Int
program = do
  put' "x" 20
  mx <- get' "x"
  put' "y" (maybe 0 (* 2) mx)
  maybe 0 id <$> get' "y"

runPure :: M.Map String Int -> Free KV a -> (a, M.Map String Int)
runPure m (Pure a) = (a, m)
runPure m (Free (Get k next)) = runPure m (next (M.lookup k m))
runPure m (Free (Put k v next)) = runPure (M.insert k v m) next
