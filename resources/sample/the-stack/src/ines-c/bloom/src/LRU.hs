-- | A least-recently-used cache on Data.Map plus an access counter.
module LRU (LRU, newLRU, lookupLRU, insertLRU) where

import qualified Data.Map.Strict as M

data LRU k v = LRU
  { capacity :: Int
  , tick :: Int
  , entries :: M.Map k (Int, v)
  , ages :: M.Map Int k
  }

newLRU :: Int -> LRU k v
newLRU c = LRU c 0 M.empty M.empty

touch :: Ord k => k -> v -> LRU k v -> LRU k v
touch k v c =
  let old = maybe (ages c) (\(t, _) -> M.delete t (ages c)) (M.lookup k (entries c))
   in c { tick = tick c + 1, entries = M.insert k (tick c, v) (entries c), ages = M.insert (tick c) k old }

lookupLRU :: Ord k => k -> LRU k v -> (Maybe v, LRU k v)
lookupLRU k c = case M.lookup k (entries c) of
  Nothing -> (Nothing, c)
  Just (_, v) -> (Just v, touch k v c)

insertLRU :: Ord k => k -> v -> LRU k v -> LRU k v
insertLRU k v c
  | M.size (entries c') > capacity c = evict c'
  | otherwise = c'
  where
    c' = touch k v c
    evict x = case M.lookupMin (ages x) of
      Nothing -> x
      Just (t, oldest) -> x { entries = M.delete oldest (entries x), ages = M.delete t (ages x) }
