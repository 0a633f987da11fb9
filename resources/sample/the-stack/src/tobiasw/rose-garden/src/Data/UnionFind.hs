-- | Persistent union-find over Int elements using an IntMap of parents (no path compression,
-- union by size keeps the trees shallow).
module Data.UnionFind (UnionFind, new, find, union, connected, components) where

import qualified Data.IntMap.Strict as IM
import Data.List (nub)

data UnionFind = UnionFind { parents :: IM.IntMap Int, sizes :: IM.IntMap Int }

new :: [Int] -> UnionFind
new xs = UnionFind (IM.fromList [(x, x) | x <- xs]) (IM.fromList [(x, 1) | x <- xs])

find :: UnionFind -> Int -> Int
find uf x = case IM.lookup x (parents uf) of
  Just p | p /= x -> find uf p
  _ -> x

union :: Int -> Int -> UnionFind -> UnionFind
union a b uf
  | ra == rb = uf
  | sa < sb = link ra rb
  | otherwise = link rb ra
  where
    ra = find uf a
    rb = find uf b
    sa = IM.findWithDefault 1 ra (sizes uf)
    sb = IM.findWithDefault 1 rb (sizes uf)
    link child root = UnionFind (IM.insert child root (parents uf))
                                (IM.insert root (sa + sb) (sizes uf))

connected :: UnionFind -> Int -> Int -> Bool
connected uf a b = find uf a == find uf b

components :: UnionFind -> Int
components uf = length (nub (map (find uf) (IM.keys (parents uf))))
