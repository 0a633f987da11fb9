"""Write resources/sample/the-stack/data/haskell/train-0000{0,1}-of-00002.parquet: an original
sample of The Stack's Haskell subset in the real column schema of bigcode/the-stack-dedup
(hexsha, size, ext, lang, max_{stars,issues,forks}_repo_* columns, content, avg_line_length,
max_line_length, alphanum_fraction). Every source file below was written for this project.

Also writes manifest.json: hexsha -> repo, path, `compiles` (must pass `ghc -fno-code` alone,
checked by tests/sources/test_sample_compiles.py) and `expected_drop` (the reason the reader's
filters must drop the row, or null).

Run: python resources/sample/make_the_stack_sample.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

OUT = Path(__file__).resolve().parent / "the-stack"

# Each entry: (repository, path, licenses, stars, compiles, content).
MIT, APACHE, BSD3, BSD2, ISC = ["MIT"], ["Apache-2.0"], ["BSD-3-Clause"], ["BSD-2-Clause"], ["ISC"]

FILES = [
    ("amelie-k/pure-queues", "src/Data/Queue.hs", MIT, 41, True, '''\
-- | A purely functional FIFO queue built from two lists (Okasaki's banker's queue without
-- laziness tricks). Amortised O(1) push and pop when used single-threadedly.
module Data.Queue
  ( Queue
  , empty
  , push
  , pop
  , toList
  ) where

data Queue a = Queue [a] [a]

empty :: Queue a
empty = Queue [] []

push :: a -> Queue a -> Queue a
push x (Queue front back) = Queue front (x : back)

pop :: Queue a -> Maybe (a, Queue a)
pop (Queue [] []) = Nothing
pop (Queue [] back) = pop (Queue (reverse back) [])
pop (Queue (x : front) back) = Just (x, Queue front back)

toList :: Queue a -> [a]
toList (Queue front back) = front ++ reverse back
'''),
    ("amelie-k/pure-queues", "src/Data/Deque.hs", MIT, 41, True, '''\
-- | Double-ended queue with both ends as lists; rebalances by splitting when one side empties.
module Data.Deque (Deque, emptyDeque, pushFront, pushBack, popFront, popBack) where

data Deque a = Deque [a] [a]
  deriving Show

emptyDeque :: Deque a
emptyDeque = Deque [] []

pushFront :: a -> Deque a -> Deque a
pushFront x (Deque f b) = Deque (x : f) b

pushBack :: a -> Deque a -> Deque a
pushBack x (Deque f b) = Deque f (x : b)

popFront :: Deque a -> Maybe (a, Deque a)
popFront (Deque [] []) = Nothing
popFront (Deque [] b) = popFront (balance b)
  where balance ys = let (r, l) = splitAt (length ys `div` 2) ys in Deque (reverse l) r
popFront (Deque (x : f) b) = Just (x, Deque f b)

popBack :: Deque a -> Maybe (a, Deque a)
popBack (Deque [] []) = Nothing
popBack (Deque f []) = popBack (balance f)
  where balance xs = let (l, r) = splitAt (length xs `div` 2) xs in Deque l (reverse r)
popBack (Deque f (x : b)) = Just (x, Deque f b)
'''),
    ("amelie-k/pure-queues", "src/Data/PriorityQueue.hs", MIT, 41, True, '''\
-- | A leftist heap: a priority queue with O(log n) insert, merge and deleteMin.
module Data.PriorityQueue (Heap, emptyHeap, insertHeap, mergeHeaps, popMin, heapSort) where

data Heap a = E | T Int a (Heap a) (Heap a)

rank :: Heap a -> Int
rank E = 0
rank (T r _ _ _) = r

makeT :: a -> Heap a -> Heap a -> Heap a
makeT x a b
  | rank a >= rank b = T (rank b + 1) x a b
  | otherwise = T (rank a + 1) x b a

emptyHeap :: Heap a
emptyHeap = E

mergeHeaps :: Ord a => Heap a -> Heap a -> Heap a
mergeHeaps h E = h
mergeHeaps E h = h
mergeHeaps h1@(T _ x a1 b1) h2@(T _ y a2 b2)
  | x <= y = makeT x a1 (mergeHeaps b1 h2)
  | otherwise = makeT y a2 (mergeHeaps h1 b2)

insertHeap :: Ord a => a -> Heap a -> Heap a
insertHeap x = mergeHeaps (T 1 x E E)

popMin :: Ord a => Heap a -> Maybe (a, Heap a)
popMin E = Nothing
popMin (T _ x a b) = Just (x, mergeHeaps a b)

heapSort :: Ord a => [a] -> [a]
heapSort = drain . foldr insertHeap emptyHeap
  where
    drain h = case popMin h of
      Nothing -> []
      Just (x, h') -> x : drain h'
'''),
    ("amelie-k/pure-queues", "test/QueueSpec.hs", MIT, 41, False, '''\
module Main (main) where

import Data.Queue
import Test.QuickCheck

-- | Pushing a list and popping everything gives the list back in order.
prop_fifo :: [Int] -> Bool
prop_fifo xs = drain (foldl (flip push) empty xs) == xs
  where
    drain q = maybe [] (\\(x, q') -> x : drain q') (pop q)

prop_toList :: [Int] -> Bool
prop_toList xs = toList (foldl (flip push) empty xs) == xs

main :: IO ()
main = do
  quickCheck prop_fifo
  quickCheck prop_toList
'''),
    ("tobiasw/rose-garden", "src/Data/Rose.hs", BSD3, 7, True, '''\
{-# LANGUAGE DeriveTraversable #-}
-- | Rose trees with derived Functor, Foldable and Traversable, plus a few folds.
module Data.Rose (Rose (..), depth, flatten, paths, prune) where

data Rose a = Rose a [Rose a]
  deriving (Show, Eq, Functor, Foldable, Traversable)

depth :: Rose a -> Int
depth (Rose _ []) = 1
depth (Rose _ kids) = 1 + maximum (map depth kids)

flatten :: Rose a -> [a]
flatten = foldr (:) []

-- | Every root-to-leaf path.
paths :: Rose a -> [[a]]
paths (Rose x []) = [[x]]
paths (Rose x kids) = map (x :) (concatMap paths kids)

-- | Cut the tree below the given depth.
prune :: Int -> Rose a -> Rose a
prune n (Rose x kids)
  | n <= 1 = Rose x []
  | otherwise = Rose x (map (prune (n - 1)) kids)
'''),
    ("tobiasw/rose-garden", "src/Data/Trie.hs", BSD3, 7, True, '''\
-- | A prefix tree over strings backed by Data.Map.
module Data.Trie (Trie, emptyTrie, insertWord, member, withPrefix, size) where

import qualified Data.Map.Strict as M
import Data.Maybe (fromMaybe)

data Trie = Trie { terminal :: !Bool, children :: M.Map Char Trie }

emptyTrie :: Trie
emptyTrie = Trie False M.empty

insertWord :: String -> Trie -> Trie
insertWord [] t = t { terminal = True }
insertWord (c : cs) t =
  let child = fromMaybe emptyTrie (M.lookup c (children t))
   in t { children = M.insert c (insertWord cs child) (children t) }

member :: String -> Trie -> Bool
member [] t = terminal t
member (c : cs) t = maybe False (member cs) (M.lookup c (children t))

-- | All stored words that start with the prefix.
withPrefix :: String -> Trie -> [String]
withPrefix prefix t0 = maybe [] (map (prefix ++) . go) (descend prefix t0)
  where
    descend [] t = Just t
    descend (c : cs) t = M.lookup c (children t) >>= descend cs
    go t = [[] | terminal t] ++ [c : w | (c, k) <- M.toList (children t), w <- go k]

size :: Trie -> Int
size t = fromEnum (terminal t) + sum (map size (M.elems (children t)))
'''),
    ("tobiasw/rose-garden", "src/Data/Zipper.hs", BSD3, 7, True, '''\
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
'''),
    ("tobiasw/rose-garden", "src/Data/UnionFind.hs", BSD3, 7, True, '''\
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
'''),
    ("hanna-v/typeclass-zoo", "src/Shapes.hs", APACHE, 3, True, '''\
-- | A small type class hierarchy for geometric shapes.
module Shapes (Shape (..), Circle (..), Rect (..), Triangle (..), totalArea) where

class Shape s where
  area :: s -> Double
  perimeter :: s -> Double
  name :: s -> String
  name _ = "shape"

newtype Circle = Circle Double
data Rect = Rect Double Double
data Triangle = Triangle Double Double Double

instance Shape Circle where
  area (Circle r) = pi * r * r
  perimeter (Circle r) = 2 * pi * r
  name _ = "circle"

instance Shape Rect where
  area (Rect w h) = w * h
  perimeter (Rect w h) = 2 * (w + h)
  name _ = "rectangle"

instance Shape Triangle where
  area (Triangle a b c) = let s = (a + b + c) / 2 in sqrt (s * (s - a) * (s - b) * (s - c))
  perimeter (Triangle a b c) = a + b + c

totalArea :: Shape s => [s] -> Double
totalArea = sum . map area
'''),
    ("hanna-v/typeclass-zoo", "src/Pretty.hs", APACHE, 3, True, '''\
-- | A Pretty class for human-readable rendering, separate from Show.
module Pretty (Pretty (..), render) where

import Data.List (intercalate)
import qualified Data.Map as M

class Pretty a where
  pretty :: a -> String
  prettyList :: [a] -> String
  prettyList xs = "[" ++ intercalate ", " (map pretty xs) ++ "]"

instance Pretty Bool where
  pretty True = "yes"
  pretty False = "no"

instance Pretty Int where
  pretty = show

instance Pretty Char where
  pretty c = [c]
  prettyList s = show s

instance Pretty a => Pretty [a] where
  pretty = prettyList

instance Pretty a => Pretty (Maybe a) where
  pretty Nothing = "-"
  pretty (Just x) = pretty x

instance (Pretty k, Pretty v) => Pretty (M.Map k v) where
  pretty m = intercalate "\\n" [pretty k ++ ": " ++ pretty v | (k, v) <- M.toList m]

render :: Pretty a => a -> IO ()
render = putStrLn . pretty
'''),
    ("hanna-v/typeclass-zoo", "src/Container.hs", APACHE, 3, True, '''\
{-# LANGUAGE FlexibleInstances #-}
-- | A multi-purpose container class with instances for lists and a bag.
module Container (Container (..), Bag, fromListC) where

import qualified Data.Map.Strict as M

class Container f where
  emptyC :: f a
  insertC :: Ord a => a -> f a -> f a
  toListC :: f a -> [a]

instance Container [] where
  emptyC = []
  insertC = (:)
  toListC = id

newtype Bag a = Bag (M.Map a Int)

instance Container Bag where
  emptyC = Bag M.empty
  insertC x (Bag m) = Bag (M.insertWith (+) x 1 m)
  toListC (Bag m) = concat [replicate n x | (x, n) <- M.toList m]

fromListC :: (Container f, Ord a) => [a] -> f a
fromListC = foldr insertC emptyC
'''),
    ("hanna-v/typeclass-zoo", "src/Monoids.hs", APACHE, 3, True, '''\
-- | Everyday monoids: statistics that combine, so they can be computed with foldMap.
module Monoids (Stats (..), stat, mean, summarise) where

data Stats = Stats { count :: !Int, total :: !Double, smallest :: !Double, largest :: !Double }
  deriving Show

instance Semigroup Stats where
  Stats c1 t1 s1 l1 <> Stats c2 t2 s2 l2 = Stats (c1 + c2) (t1 + t2) (min s1 s2) (max l1 l2)

instance Monoid Stats where
  mempty = Stats 0 0 (1 / 0) (-1 / 0)

stat :: Double -> Stats
stat x = Stats 1 x x x

mean :: Stats -> Maybe Double
mean s
  | count s == 0 = Nothing
  | otherwise = Just (total s / fromIntegral (count s))

summarise :: [Double] -> Stats
summarise = foldMap stat
'''),
    ("hanna-v/typeclass-zoo", "src/Units.hs", APACHE, 3, True, '''\
{-# LANGUAGE GeneralizedNewtypeDeriving #-}
-- | Newtypes that keep units apart while reusing Num.
module Units (Metres (..), Seconds (..), Speed (..), speed, addDistances) where

newtype Metres = Metres Double
  deriving (Show, Eq, Ord, Num)

newtype Seconds = Seconds Double
  deriving (Show, Eq, Ord, Num)

newtype Speed = Speed Double
  deriving (Show, Eq, Ord)

speed :: Metres -> Seconds -> Maybe Speed
speed (Metres d) (Seconds t)
  | t <= 0 = Nothing
  | otherwise = Just (Speed (d / t))

addDistances :: [Metres] -> Metres
addDistances = sum
'''),
    ("ravi-m/inventory", "src/Inventory/Types.hs", MIT, 12, True, '''\
-- | Records for a small shop inventory.
module Inventory.Types
  ( Item (..)
  , Stock (..)
  , Category (..)
  , restock
  , sell
  , value
  ) where

data Category = Food | Tool | Toy
  deriving (Show, Eq, Ord, Enum, Bounded)

data Item = Item
  { itemName :: String
  , itemCategory :: Category
  , unitPrice :: Double
  } deriving (Show, Eq)

data Stock = Stock
  { stockItem :: Item
  , quantity :: Int
  } deriving (Show, Eq)

restock :: Int -> Stock -> Stock
restock n s = s { quantity = quantity s + n }

sell :: Int -> Stock -> Either String Stock
sell n s
  | n <= 0 = Left "quantity must be positive"
  | n > quantity s = Left ("only " ++ show (quantity s) ++ " left of " ++ itemName (stockItem s))
  | otherwise = Right s { quantity = quantity s - n }

value :: Stock -> Double
value s = fromIntegral (quantity s) * unitPrice (stockItem s)
'''),
    ("ravi-m/inventory", "src/Inventory/Report.hs", MIT, 12, True, '''\
-- | Summaries of an inventory by category.
module Inventory.Report (Line (..), byCategory, lowStock) where

import qualified Data.Map.Strict as M

data Line = Line { lineName :: String, lineCategory :: String, lineQty :: Int, linePrice :: Double }

-- | Total stock value per category.
byCategory :: [Line] -> M.Map String Double
byCategory ls = M.fromListWith (+) [(lineCategory l, fromIntegral (lineQty l) * linePrice l) | l <- ls]

-- | Names of items at or below the threshold, most urgent first.
lowStock :: Int -> [Line] -> [String]
lowStock threshold ls =
  map snd (M.toAscList (M.fromList [((lineQty l, lineName l), lineName l) | l <- ls, lineQty l <= threshold]))
'''),
    ("ravi-m/inventory", "app/Main.hs", MIT, 12, True, '''\
module Main (main) where

import System.Environment (getArgs)
import System.Exit (exitFailure)
import Text.Read (readMaybe)

-- | inventory-cli: add up "name,quantity,price" lines from a CSV file.
main :: IO ()
main = do
  args <- getArgs
  case args of
    [path] -> readFile path >>= either die' report . traverse parseLine . drop 1 . lines
    _ -> die' "usage: inventory-cli FILE.csv"
  where
    die' msg = putStrLn msg >> exitFailure
    report rows = putStrLn ("total value: " ++ show (sum [fromIntegral q * p | (_, q, p) <- rows]))

parseLine :: String -> Either String (String, Int, Double)
parseLine line = case splitOn ',' line of
  [n, q, p] | Just q' <- readMaybe q, Just p' <- readMaybe p -> Right (n, q', p')
  _ -> Left ("bad line: " ++ line)

splitOn :: Char -> String -> [String]
splitOn sep s = case break (== sep) s of
  (chunk, []) -> [chunk]
  (chunk, _ : rest) -> chunk : splitOn sep rest
'''),
    ("lena-o/matrix-lite", "src/Matrix.hs", BSD3, 25, True, '''\
-- | Dense matrices as lists of rows; enough for small linear-algebra exercises.
module Matrix (Matrix, fromRows, rows, transpose', mmul, identity, mpow) where

import Data.List (transpose)

newtype Matrix = Matrix [[Integer]]
  deriving (Show, Eq)

fromRows :: [[Integer]] -> Maybe Matrix
fromRows [] = Nothing
fromRows rs@(r : _)
  | all ((== length r) . length) rs = Just (Matrix rs)
  | otherwise = Nothing

rows :: Matrix -> [[Integer]]
rows (Matrix rs) = rs

transpose' :: Matrix -> Matrix
transpose' (Matrix rs) = Matrix (transpose rs)

mmul :: Matrix -> Matrix -> Matrix
mmul (Matrix a) (Matrix b) = Matrix [[sum (zipWith (*) r c) | c <- transpose b] | r <- a]

identity :: Int -> Matrix
identity n = Matrix [[if i == j then 1 else 0 | j <- [1 .. n]] | i <- [1 .. n]]

-- | Exponentiation by squaring.
mpow :: Matrix -> Int -> Matrix
mpow m@(Matrix rs) k
  | k == 0 = identity (length rs)
  | even k = let h = mpow m (k `div` 2) in mmul h h
  | otherwise = mmul m (mpow m (k - 1))
'''),
    ("lena-o/matrix-lite", "src/Fib.hs", BSD3, 25, True, '''\
-- | Fibonacci numbers in O(log n) multiplications using 2x2 matrix powers.
module Fib (fib) where

data M2 = M2 !Integer !Integer !Integer !Integer

mul :: M2 -> M2 -> M2
mul (M2 a b c d) (M2 e f g h) = M2 (a * e + b * g) (a * f + b * h) (c * e + d * g) (c * f + d * h)

power :: M2 -> Int -> M2
power _ 0 = M2 1 0 0 1
power m n
  | even n = let h = power m (n `div` 2) in mul h h
  | otherwise = mul m (power m (n - 1))

fib :: Int -> Integer
fib n
  | n < 0 = error "fib: negative index"
  | otherwise = let M2 _ f _ _ = power (M2 1 1 1 0) n in f
'''),
    ("lena-o/matrix-lite", "src/Vector2.hs", BSD3, 25, True, '''\
-- | Two-dimensional vectors with a Num instance for component-wise arithmetic.
module Vector2 (V2 (..), dot, norm, scale) where

data V2 = V2 !Double !Double
  deriving (Show, Eq)

instance Num V2 where
  V2 a b + V2 c d = V2 (a + c) (b + d)
  V2 a b * V2 c d = V2 (a * c) (b * d)
  abs (V2 a b) = V2 (abs a) (abs b)
  signum (V2 a b) = V2 (signum a) (signum b)
  fromInteger n = V2 (fromInteger n) (fromInteger n)
  negate (V2 a b) = V2 (negate a) (negate b)

dot :: V2 -> V2 -> Double
dot (V2 a b) (V2 c d) = a * c + b * d

norm :: V2 -> Double
norm v = sqrt (dot v v)

scale :: Double -> V2 -> V2
scale k (V2 a b) = V2 (k * a) (k * b)
'''),
    ("jorge-p/graph-algos", "src/Graph/BFS.hs", MIT, 58, True, '''\
-- | Breadth-first search on an adjacency-map graph.
module Graph.BFS (Graph, fromEdges, bfs, shortestPath) where

import qualified Data.Map.Strict as M
import qualified Data.Set as S
import Data.Sequence (Seq (..), (|>))
import qualified Data.Sequence as Seq

type Graph = M.Map Int [Int]

fromEdges :: [(Int, Int)] -> Graph
fromEdges es = M.fromListWith (++) ([(a, [b]) | (a, b) <- es] ++ [(b, [a]) | (a, b) <- es])

-- | Vertices in breadth-first order from the start vertex.
bfs :: Graph -> Int -> [Int]
bfs g start = go (Seq.singleton start) (S.singleton start)
  where
    go Empty _ = []
    go (v :<| queue) seen =
      let next = [w | w <- M.findWithDefault [] v g, not (S.member w seen)]
          seen' = foldr S.insert seen next
       in v : go (foldl (|>) queue next) seen'

-- | Fewest-edges path between two vertices, if any.
shortestPath :: Graph -> Int -> Int -> Maybe [Int]
shortestPath g from to = walk (Seq.singleton from) (M.singleton from from)
  where
    walk Empty _ = Nothing
    walk (v :<| queue) prev
      | v == to = Just (reverse (back to prev))
      | otherwise =
          let next = [w | w <- M.findWithDefault [] v g, not (M.member w prev)]
           in walk (foldl (|>) queue next) (foldr (\\w -> M.insert w v) prev next)
    back v prev
      | v == from = [v]
      | otherwise = v : back (prev M.! v) prev
'''),
    ("jorge-p/graph-algos", "src/Graph/Dijkstra.hs", MIT, 58, True, '''\
-- | Dijkstra's shortest paths with a Set as the priority queue.
module Graph.Dijkstra (WGraph, dijkstra) where

import qualified Data.Map.Strict as M
import qualified Data.Set as S

type WGraph = M.Map Char [(Char, Int)]

dijkstra :: WGraph -> Char -> M.Map Char Int
dijkstra g source = go (S.singleton (0, source)) (M.singleton source 0)
  where
    go frontier dist = case S.minView frontier of
      Nothing -> dist
      Just ((d, v), rest)
        | d > M.findWithDefault maxBound v dist -> go rest dist
        | otherwise ->
            let relax (f, ds) (w, cost) =
                  let nd = d + cost
                   in if nd < M.findWithDefault maxBound w ds
                        then (S.insert (nd, w) f, M.insert w nd ds)
                        else (f, ds)
                (frontier', dist') = foldl relax (rest, dist) (M.findWithDefault [] v g)
             in go frontier' dist'
'''),
    ("jorge-p/graph-algos", "src/Graph/TopoSort.hs", MIT, 58, True, '''\
-- | Topological sort (Kahn's algorithm) that reports a cycle instead of failing.
module Graph.TopoSort (topoSort) where

import qualified Data.Map.Strict as M

topoSort :: Ord a => [(a, [a])] -> Either String [a]
topoSort deps = go [v | (v, 0) <- M.toList indegree0] indegree0 []
  where
    edges = M.fromListWith (++) ([(v, ws) | (v, ws) <- deps] ++ [(w, []) | (_, ws) <- deps, w <- ws])
    indegree0 = M.unionWith (+) (M.map (const 0) edges)
                                (M.fromListWith (+) [(w, 1 :: Int) | ws <- M.elems edges, w <- ws])
    go [] indegree acc
      | length acc == M.size edges = Right (reverse acc)
      | otherwise = Left ("cycle among " ++ show (M.size indegree - length acc) ++ " vertices")
    go (v : ready) indegree acc =
      let targets = M.findWithDefault [] v edges
          indegree' = foldr (M.adjust (subtract 1)) indegree targets
          newlyReady = [w | w <- targets, M.lookup w indegree' == Just 0]
       in go (ready ++ newlyReady) indegree' (v : acc)
'''),
    ("jorge-p/graph-algos", "src/Graph/Components.hs", MIT, 58, True, '''\
-- | Connected components with Data.Graph from containers.
module Graph.Components (componentsOf, hasCycle) where

import Data.Graph (flattenSCC, stronglyConnComp, components, buildG, SCC (..))
import Data.Foldable (toList)

-- | Components of an undirected graph given as an edge list over vertices 0..n-1.
componentsOf :: Int -> [(Int, Int)] -> [[Int]]
componentsOf n es = map toList (components (buildG (0, n - 1) (es ++ [(b, a) | (a, b) <- es])))

-- | A directed graph has a cycle when some strongly connected component is cyclic.
hasCycle :: [(String, [String])] -> Bool
hasCycle deps = any cyclic (stronglyConnComp [(k, k, vs) | (k, vs) <- deps])
  where
    cyclic (CyclicSCC _) = True
    cyclic scc@(AcyclicSCC _) = null (flattenSCC scc)
'''),
    ("mira-s/bank-records", "src/Bank/Account.hs", APACHE, 5, True, '''\
-- | Bank accounts as records with validated operations.
module Bank.Account
  ( Account (..)
  , AccountError (..)
  , open
  , deposit
  , withdraw
  , transfer
  ) where

data Account = Account
  { accountId :: Int
  , owner :: String
  , balance :: Integer
  } deriving (Show, Eq)

data AccountError
  = InsufficientFunds Integer
  | NonPositiveAmount Integer
  | SameAccount
  deriving (Show, Eq)

open :: Int -> String -> Account
open i o = Account i o 0

deposit :: Integer -> Account -> Either AccountError Account
deposit amount acc
  | amount <= 0 = Left (NonPositiveAmount amount)
  | otherwise = Right acc { balance = balance acc + amount }

withdraw :: Integer -> Account -> Either AccountError Account
withdraw amount acc
  | amount <= 0 = Left (NonPositiveAmount amount)
  | amount > balance acc = Left (InsufficientFunds (balance acc))
  | otherwise = Right acc { balance = balance acc - amount }

transfer :: Integer -> Account -> Account -> Either AccountError (Account, Account)
transfer amount from to
  | accountId from == accountId to = Left SameAccount
  | otherwise = (,) <$> withdraw amount from <*> deposit amount to
'''),
    ("mira-s/bank-records", "src/Bank/Ledger.hs", APACHE, 5, True, '''\
-- | An append-only ledger kept in the State monad.
module Bank.Ledger (Entry (..), Ledger, record, balanceOf, runLedger) where

import Control.Monad.State
import qualified Data.Map.Strict as M

data Entry = Entry { entryAccount :: String, entryAmount :: Integer }
  deriving Show

type Ledger = State [Entry]

record :: String -> Integer -> Ledger ()
record acc amount = modify (Entry acc amount :)

balanceOf :: String -> Ledger Integer
balanceOf acc = gets (sum . map entryAmount . filter ((== acc) . entryAccount))

runLedger :: Ledger a -> (a, M.Map String Integer)
runLedger action =
  let (result, entries) = runState action []
   in (result, M.fromListWith (+) [(entryAccount e, entryAmount e) | e <- entries])
'''),
    ("mira-s/bank-records", "src/Bank/Interest.hs", APACHE, 5, True, '''\
-- | Compound interest with exact rational arithmetic.
module Bank.Interest (compound, schedule) where

import Data.Ratio ((%))

-- | Balance after n periods at the given rate per period (e.g. 5 % 100).
compound :: Rational -> Rational -> Int -> Rational
compound principal rate n = principal * (1 + rate) ^ n

-- | Balance at the end of each period, rounded down to whole cents.
schedule :: Integer -> Rational -> Int -> [Integer]
schedule cents rate n = [floor (compound (cents % 1) rate k) | k <- [1 .. n]]
'''),
]

FILES_B = [
    ("quentin-d/tiny-parsers", "src/Parser/Core.hs", BSD3, 88, True, '''\
-- | A minimal parser combinator library: enough to see how parsec works inside.
module Parser.Core
  ( Parser (..)
  , satisfy
  , char
  , string
  , many1
  , sepBy
  , spaces
  , token
  , parseAll
  ) where

import Control.Applicative
import Data.Char (isSpace)

newtype Parser a = Parser { runParser :: String -> Maybe (a, String) }

instance Functor Parser where
  fmap f (Parser p) = Parser $ \\s -> case p s of
    Nothing -> Nothing
    Just (a, rest) -> Just (f a, rest)

instance Applicative Parser where
  pure x = Parser $ \\s -> Just (x, s)
  Parser pf <*> Parser pa = Parser $ \\s -> case pf s of
    Nothing -> Nothing
    Just (f, rest) -> case pa rest of
      Nothing -> Nothing
      Just (a, rest') -> Just (f a, rest')

instance Monad Parser where
  Parser p >>= f = Parser $ \\s -> case p s of
    Nothing -> Nothing
    Just (a, rest) -> runParser (f a) rest

instance Alternative Parser where
  empty = Parser (const Nothing)
  Parser p <|> Parser q = Parser $ \\s -> maybe (q s) Just (p s)

satisfy :: (Char -> Bool) -> Parser Char
satisfy ok = Parser $ \\s -> case s of
  (c : cs) | ok c -> Just (c, cs)
  _ -> Nothing

char :: Char -> Parser Char
char c = satisfy (== c)

string :: String -> Parser String
string = traverse char

many1 :: Parser a -> Parser [a]
many1 = some

sepBy :: Parser a -> Parser sep -> Parser [a]
sepBy p sep = ((:) <$> p <*> many (sep *> p)) <|> pure []

spaces :: Parser ()
spaces = () <$ many (satisfy isSpace)

token :: Parser a -> Parser a
token p = p <* spaces

parseAll :: Parser a -> String -> Maybe a
parseAll p s = case runParser (spaces *> p) s of
  Just (a, "") -> Just a
  _ -> Nothing
'''),
    ("quentin-d/tiny-parsers", "src/Parser/Arith.hs", BSD3, 88, True, '''\
-- | Arithmetic expressions with precedence, parsed by chainl1 over ReadP.
module Parser.Arith (Expr (..), parseExpr, evalExpr) where

import Data.Char (isDigit, isSpace)
import Text.ParserCombinators.ReadP

data Expr = Num Integer | Add Expr Expr | Sub Expr Expr | Mul Expr Expr | Div Expr Expr
  deriving Show

lexeme :: ReadP a -> ReadP a
lexeme p = p <* skipSpaces

symbol :: Char -> ReadP Char
symbol = lexeme . char

number :: ReadP Expr
number = lexeme (Num . read <$> munch1 isDigit)

factor :: ReadP Expr
factor = number +++ between (symbol '(') (symbol ')') expr

term :: ReadP Expr
term = chainl1 factor ((Mul <$ symbol '*') +++ (Div <$ symbol '/'))

expr :: ReadP Expr
expr = chainl1 term ((Add <$ symbol '+') +++ (Sub <$ symbol '-'))

parseExpr :: String -> Maybe Expr
parseExpr s = case [e | (e, "") <- readP_to_S (skipSpaces *> expr <* eof) s] of
  [e] -> Just e
  _ -> Nothing

evalExpr :: Expr -> Either String Integer
evalExpr (Num n) = Right n
evalExpr (Add a b) = (+) <$> evalExpr a <*> evalExpr b
evalExpr (Sub a b) = (-) <$> evalExpr a <*> evalExpr b
evalExpr (Mul a b) = (*) <$> evalExpr a <*> evalExpr b
evalExpr (Div a b) = do
  x <- evalExpr a
  y <- evalExpr b
  if y == 0 then Left "division by zero" else Right (x `div` y)

_unused :: Char -> Bool
_unused = isSpace
'''),
    ("quentin-d/tiny-parsers", "src/Parser/Json.hs", BSD3, 88, True, '''\
-- | A small JSON parser with Parsec.
module Parser.Json (Json (..), parseJson) where

import Text.Parsec
import Text.Parsec.String (Parser)

data Json
  = JNull
  | JBool Bool
  | JNumber Double
  | JString String
  | JArray [Json]
  | JObject [(String, Json)]
  deriving (Show, Eq)

lexeme :: Parser a -> Parser a
lexeme p = p <* spaces

json :: Parser Json
json = lexeme $ choice
  [ JNull <$ string "null"
  , JBool True <$ try (string "true")
  , JBool False <$ string "false"
  , JNumber <$> number
  , JString <$> stringLit
  , JArray <$> between (lexeme (char '[')) (char ']') (json `sepBy` lexeme (char ','))
  , JObject <$> between (lexeme (char '{')) (char '}') (field `sepBy` lexeme (char ','))
  ]
  where
    field = (,) <$> lexeme stringLit <* lexeme (char ':') <*> json

number :: Parser Double
number = do
  sign <- option "" (string "-")
  whole <- many1 digit
  frac <- option "" ((:) <$> char '.' <*> many1 digit)
  return (read (sign ++ whole ++ frac))

stringLit :: Parser String
stringLit = between (char '"') (char '"') (many (noneOf "\\"\\\\" <|> (char '\\\\' >> escaped)))
  where
    escaped = choice [char '"', char '\\\\', '\\n' <$ char 'n', '\\t' <$ char 't']

parseJson :: String -> Either ParseError Json
parseJson = parse (spaces *> json <* eof) "<input>"
'''),
    ("quentin-d/tiny-parsers", "src/Parser/Csv.hs", BSD3, 88, True, '''\
-- | RFC 4180-style CSV: quoted fields may contain commas, quotes ("") and newlines.
module Parser.Csv (parseCsv) where

import Text.Parsec
import Text.Parsec.String (Parser)

csv :: Parser [[String]]
csv = record `endBy` eol <* eof

record :: Parser [String]
record = field `sepBy1` char ','

field :: Parser String
field = quoted <|> many (noneOf ",\\r\\n")

quoted :: Parser String
quoted = between (char '"') (char '"') (many (noneOf "\\"" <|> try (string "\\"\\"" >> return '"')))

eol :: Parser ()
eol = () <$ (try (string "\\r\\n") <|> string "\\n")

parseCsv :: String -> Either ParseError [[String]]
parseCsv = parse csv "<csv>"
'''),
    ("quentin-d/tiny-parsers", "src/Parser/Ini.hs", BSD3, 88, True, '''\
-- | INI files: [sections] of key = value lines, comments starting with ';' or '#'.
module Parser.Ini (Ini, parseIni, lookupKey) where

import Data.Char (isSpace)
import qualified Data.Map.Strict as M

type Ini = M.Map String (M.Map String String)

parseIni :: String -> Either String Ini
parseIni = go "" M.empty . zip [1 :: Int ..] . lines
  where
    go _ acc [] = Right acc
    go section acc ((n, raw) : rest) = case trim raw of
      "" -> go section acc rest
      (c : _) | c `elem` ";#" -> go section acc rest
      ('[' : more) | last more == ']' -> go (init more) (M.insertWith M.union (init more) M.empty acc) rest
      line -> case break (== '=') line of
        (k, '=' : v) -> go section (M.insertWith M.union section (M.singleton (trim k) (trim v)) acc) rest
        _ -> Left ("line " ++ show n ++ ": expected key = value")
    trim = dropWhileEnd' isSpace . dropWhile isSpace
    dropWhileEnd' p = reverse . dropWhile p . reverse

lookupKey :: String -> String -> Ini -> Maybe String
lookupKey section key ini = M.lookup section ini >>= M.lookup key
'''),
    ("oskar-b/state-machines", "src/Counter.hs", MIT, 2, True, '''\
-- | A turnstile state machine driven with the State monad.
module Counter (Turnstile (..), Input (..), step, runInputs) where

import Control.Monad.State

data Turnstile = Locked | Unlocked
  deriving (Show, Eq)

data Input = Coin | Push
  deriving (Show, Eq)

step :: Input -> State (Turnstile, Int) Bool
step input = do
  (s, coins) <- get
  case (s, input) of
    (Locked, Coin) -> put (Unlocked, coins + 1) >> return True
    (Unlocked, Push) -> put (Locked, coins) >> return True
    (Unlocked, Coin) -> put (Unlocked, coins + 1) >> return False
    (Locked, Push) -> return False

runInputs :: [Input] -> ([Bool], (Turnstile, Int))
runInputs inputs = runState (mapM step inputs) (Locked, 0)
'''),
    ("oskar-b/state-machines", "src/Stack.hs", MIT, 2, True, '''\
-- | A stack machine: StateT over Either for instructions that can fail.
module Stack (Instr (..), exec, runProgram) where

import Control.Monad.State

data Instr = Push Int | Pop | AddI | MulI | Dup | Swap
  deriving Show

type Machine = StateT [Int] (Either String)

pop' :: Machine Int
pop' = do
  stack <- get
  case stack of
    (x : xs) -> put xs >> return x
    [] -> lift (Left "pop from empty stack")

exec :: Instr -> Machine ()
exec (Push n) = modify (n :)
exec Pop = void pop'
exec AddI = binary (+)
exec MulI = binary (*)
exec Dup = do
  x <- pop'
  modify ([x, x] ++)
exec Swap = do
  x <- pop'
  y <- pop'
  modify ([y, x] ++)

binary :: (Int -> Int -> Int) -> Machine ()
binary f = do
  x <- pop'
  y <- pop'
  modify (f y x :)

runProgram :: [Instr] -> Either String [Int]
runProgram prog = execStateT (mapM_ exec prog) []
'''),
    ("oskar-b/state-machines", "src/Vending.hs", MIT, 2, True, '''\
-- | A vending machine whose transitions are a pure function, logged with Writer.
module Vending (Event (..), Machine (..), transition, simulate) where

import Control.Monad.Writer

data Event = InsertCoin Int | Select String | Refund
  deriving Show

data Machine = Machine { credit :: Int, prices :: [(String, Int)] }

transition :: Machine -> Event -> Writer [String] Machine
transition m (InsertCoin c) = do
  tell ["credit " ++ show (credit m + c)]
  return m { credit = credit m + c }
transition m (Select item) = case lookup item (prices m) of
  Nothing -> tell ["unknown item " ++ item] >> return m
  Just p
    | p > credit m -> tell ["need " ++ show (p - credit m) ++ " more"] >> return m
    | otherwise -> tell ["vend " ++ item] >> return m { credit = credit m - p }
transition m Refund = do
  tell ["refund " ++ show (credit m)]
  return m { credit = 0 }

simulate :: Machine -> [Event] -> (Machine, [String])
simulate m events = runWriter (foldM transition m events)
'''),
    ("oskar-b/state-machines", "src/Random.hs", MIT, 2, True, '''\
-- | A linear congruential generator threaded through State, for reproducible simulations.
module Random (Seed, nextInt, randomR', shuffle, rollDice) where

import Control.Monad.State
import qualified Data.Map as M

type Seed = Int

nextInt :: State Seed Int
nextInt = do
  s <- get
  let s' = (s * 1103515245 + 12345) `mod` 2147483648
  put s'
  return s'

randomR' :: (Int, Int) -> State Seed Int
randomR' (lo, hi) = (\\x -> lo + x `mod` (hi - lo + 1)) <$> nextInt

-- | Fisher-Yates over a Map from index to element.
shuffle :: [a] -> State Seed [a]
shuffle xs = go (length xs - 1) (M.fromList (zip [0 ..] xs))
  where
    go i m
      | i <= 0 = return (M.elems m)
      | otherwise = do
          j <- randomR' (0, i)
          let m' = M.insert i (m M.! j) (M.insert j (m M.! i) m)
          go (i - 1) m'

rollDice :: Int -> Seed -> [Int]
rollDice n = evalState (replicateM n (randomR' (1, 6)))
'''),
    ("nadia-f/reader-config", "src/App/Config.hs", ISC, 19, True, '''\
-- | Application configuration and the Reader-based App monad.
module App.Config (Config (..), App, runApp, logMsg, defaultConfig) where

import Control.Monad.Reader

data Config = Config
  { appName :: String
  , logLevel :: Int
  , maxRetries :: Int
  } deriving Show

type App = ReaderT Config IO

defaultConfig :: Config
defaultConfig = Config { appName = "demo", logLevel = 1, maxRetries = 3 }

runApp :: Config -> App a -> IO a
runApp = flip runReaderT

logMsg :: Int -> String -> App ()
logMsg level msg = do
  cfg <- ask
  when (level <= logLevel cfg) $
    liftIO (putStrLn ("[" ++ appName cfg ++ "] " ++ msg))
'''),
    ("nadia-f/reader-config", "src/App/Retry.hs", ISC, 19, True, '''\
-- | Retry an IO action a configured number of times, reading the limit from the environment.
module App.Retry (retrying) where

import Control.Exception (IOException, try)
import Control.Monad.Reader

retrying :: Int -> IO a -> ReaderT Int IO (Either String a)
retrying attempt action = do
  limit <- ask
  result <- liftIO (try action)
  case result of
    Right x -> return (Right x)
    Left err
      | attempt >= limit -> return (Left (show (err :: IOException)))
      | otherwise -> retrying (attempt + 1) action
'''),
    ("nadia-f/reader-config", "src/App/Env.hs", ISC, 19, True, '''\
-- | Read typed settings from environment variables with defaults.
module App.Env (Settings (..), loadSettings) where

import System.Environment (lookupEnv)
import Text.Read (readMaybe)

data Settings = Settings { port :: Int, host :: String, debug :: Bool }
  deriving Show

loadSettings :: IO (Either String Settings)
loadSettings = do
  p <- lookupEnv "APP_PORT"
  h <- lookupEnv "APP_HOST"
  d <- lookupEnv "APP_DEBUG"
  return $ Settings
    <$> maybe (Right 8080) (parse "APP_PORT") p
    <*> pure (maybe "127.0.0.1" id h)
    <*> pure (d `elem` [Just "1", Just "true"])
  where
    parse name v = maybe (Left (name ++ " is not a number: " ++ v)) Right (readMaybe v)
'''),
    ("sven-a/text-tools", "src/WordCount.hs", MIT, 144, True, '''\
-- | wc-like statistics over Data.Text.
module WordCount (Counts (..), countText) where

import qualified Data.Text as T

data Counts = Counts { lineCount :: !Int, wordCount :: !Int, charCount :: !Int }
  deriving (Show, Eq)

countText :: T.Text -> Counts
countText t = Counts (length (T.lines t)) (length (T.words t)) (T.length t)
'''),
    ("sven-a/text-tools", "src/Slug.hs", MIT, 144, True, '''\
{-# LANGUAGE OverloadedStrings #-}
-- | URL slugs from titles: lower case, ASCII letters and digits joined by dashes.
module Slug (slugify) where

import Data.Char (isAlphaNum, isAscii)
import qualified Data.Text as T

slugify :: T.Text -> T.Text
slugify = T.intercalate "-" . T.words . T.map keep . T.toLower
  where
    keep c
      | isAscii c && isAlphaNum c = c
      | otherwise = ' '
'''),
    ("sven-a/text-tools", "src/Wrap.hs", MIT, 144, True, '''\
-- | Greedy word wrapping to a maximum line width.
module Wrap (wrap) where

wrap :: Int -> String -> [String]
wrap width = map unwords . go 0 [] . words
  where
    go _ line [] = [reverse line | not (null line)]
    go used line (w : ws)
      | null line = go (length w) [w] ws
      | used + 1 + length w <= width = go (used + 1 + length w) (w : line) ws
      | otherwise = reverse line : go 0 [] (w : ws)
'''),
    ("sven-a/text-tools", "src/Caesar.hs", MIT, 144, True, '''\
-- | Caesar and Vigenere ciphers over ASCII letters.
module Caesar (caesar, uncaesar, vigenere) where

import Data.Char (chr, isAsciiLower, isAsciiUpper, ord)

shift :: Int -> Char -> Char
shift n c
  | isAsciiLower c = rotate 'a'
  | isAsciiUpper c = rotate 'A'
  | otherwise = c
  where
    rotate base = chr (ord base + (ord c - ord base + n) `mod` 26)

caesar :: Int -> String -> String
caesar n = map (shift n)

uncaesar :: Int -> String -> String
uncaesar n = caesar (negate n)

vigenere :: String -> String -> String
vigenere key = zipWith (\\k c -> shift (ord k - ord 'a') c) (cycle key)
'''),
    ("sven-a/text-tools", "src/Palindrome.hs", MIT, 144, True, '''\
-- | Palindrome checks that ignore case and punctuation.
module Palindrome (isPalindrome, longestPalindrome) where

import Data.Char (isAlpha, toLower)
import Data.List (inits, maximumBy, tails)
import Data.Ord (comparing)

isPalindrome :: String -> Bool
isPalindrome s = cleaned == reverse cleaned
  where
    cleaned = map toLower (filter isAlpha s)

longestPalindrome :: String -> String
longestPalindrome s = maximumBy (comparing length) ("" : candidates)
  where
    candidates = [sub | t <- tails s, sub <- inits t, not (null sub), sub == reverse sub]
'''),
    ("sven-a/text-tools", "src/Bytes.hs", MIT, 144, True, '''\
-- | Byte-level helpers: hex dump and checksum of a strict ByteString.
module Bytes (hexDump, adler32) where

import Data.Bits (shiftL, (.|.))
import qualified Data.ByteString as B
import Data.Word (Word32, Word8)
import Numeric (showHex)

hexByte :: Word8 -> String
hexByte w = let h = showHex w "" in if length h == 1 then '0' : h else h

hexDump :: B.ByteString -> [String]
hexDump bs
  | B.null bs = []
  | otherwise = unwords (map hexByte (B.unpack line)) : hexDump rest
  where
    (line, rest) = B.splitAt 16 bs

adler32 :: B.ByteString -> Word32
adler32 = finish . B.foldl' step (1, 0)
  where
    modulus = 65521
    step (a, b) w = let a' = (a + fromIntegral w) `mod` modulus in (a', (b + a') `mod` modulus)
    finish (a, b) = (b `shiftL` 16) .|. a
'''),
    ("elif-t/cli-tools", "app/Grep.hs", BSD2, 9, True, '''\
module Main (main) where

import Data.List (isInfixOf)
import System.Environment (getArgs)
import System.Exit (exitWith, ExitCode (..))

-- | mini-grep PATTERN FILE...: print matching lines prefixed with file and line number.
main :: IO ()
main = do
  args <- getArgs
  case args of
    (pat : files@(_ : _)) -> do
      found <- mapM (search pat) files
      exitWith (if or found then ExitSuccess else ExitFailure 1)
    _ -> putStrLn "usage: mini-grep PATTERN FILE..." >> exitWith (ExitFailure 2)

search :: String -> FilePath -> IO Bool
search pat file = do
  contents <- readFile file
  let hits = [(n, l) | (n, l) <- zip [1 :: Int ..] (lines contents), pat `isInfixOf` l]
  mapM_ (\\(n, l) -> putStrLn (file ++ ":" ++ show n ++ ": " ++ l)) hits
  return (not (null hits))
'''),
    ("elif-t/cli-tools", "app/Todo.hs", BSD2, 9, True, '''\
module Main (main) where

import System.Directory (doesFileExist)
import System.Environment (getArgs)

todoFile :: FilePath
todoFile = "todo.txt"

-- | todo add TEXT | todo list | todo done N
main :: IO ()
main = getArgs >>= dispatch

dispatch :: [String] -> IO ()
dispatch ("add" : ws) = appendFile todoFile (unwords ws ++ "\\n")
dispatch ["list"] = loadItems >>= mapM_ (\\(n, t) -> putStrLn (show n ++ ". " ++ t)) . zip [1 :: Int ..]
dispatch ["done", n] = do
  items <- loadItems
  let k = read n
      kept = [t | (i, t) <- zip [1 ..] items, i /= k]
  length kept `seq` writeFile todoFile (unlines kept)
dispatch _ = putStrLn "usage: todo add TEXT | todo list | todo done N"

loadItems :: IO [String]
loadItems = do
  exists <- doesFileExist todoFile
  if exists then lines <$> readFile todoFile else return []
'''),
    ("elif-t/cli-tools", "app/Calc.hs", BSD2, 9, True, '''\
module Main (main) where

import System.IO (hFlush, stdout)
import Text.Read (readMaybe)

-- | An RPN calculator REPL: enter tokens like "3 4 + 2 *", empty line quits.
main :: IO ()
main = do
  putStr "> "
  hFlush stdout
  line <- getLine
  if null line
    then return ()
    else do
      putStrLn (either ("error: " ++) show (rpn (words line)))
      main

rpn :: [String] -> Either String Double
rpn = go []
  where
    go [x] [] = Right x
    go st [] = Left ("stack has " ++ show (length st) ++ " values")
    go (y : x : st) (t : ts) | Just f <- lookup t ops = go (f x y : st) ts
    go st (t : ts) = case readMaybe t of
      Just v -> go (v : st) ts
      Nothing -> Left ("bad token " ++ t)
    ops = [("+", (+)), ("-", (-)), ("*", (*)), ("/", (/))]
'''),
    ("elif-t/cli-tools", "app/Cat.hs", BSD2, 9, True, '''\
module Main (main) where

import qualified Data.ByteString as B
import System.Environment (getArgs)
import System.IO (stdout)

-- | cat with ByteString: copies files (or stdin) to stdout without decoding them.
main :: IO ()
main = do
  files <- getArgs
  if null files
    then B.getContents >>= B.hPut stdout
    else mapM_ (\\f -> B.readFile f >>= B.hPut stdout) files
'''),
    ("elif-t/cli-tools", "app/Uniq.hs", BSD2, 9, True, '''\
module Main (main) where

import Data.List (group)

-- | uniq -c: count adjacent repeated lines of stdin.
main :: IO ()
main = interact (unlines . map render . group . lines)
  where
    render ls = pad 7 (show (length ls)) ++ " " ++ head ls
    pad n s = replicate (n - length s) ' ' ++ s
'''),
    ("wei-l/algorithms", "src/Sort/Merge.hs", MIT, 230, True, '''\
-- | Merge sort, stable, O(n log n).
module Sort.Merge (mergeSort, mergeSortBy) where

mergeSort :: Ord a => [a] -> [a]
mergeSort = mergeSortBy compare

mergeSortBy :: (a -> a -> Ordering) -> [a] -> [a]
mergeSortBy cmp = go
  where
    go [] = []
    go [x] = [x]
    go xs = let (l, r) = splitAt (length xs `div` 2) xs in merge (go l) (go r)
    merge [] ys = ys
    merge xs [] = xs
    merge (x : xs) (y : ys)
      | cmp y x == LT = y : merge (x : xs) ys
      | otherwise = x : merge xs (y : ys)
'''),
    ("wei-l/algorithms", "src/Sort/Quick.hs", MIT, 230, True, '''\
-- | Quicksort on lists (functional, not in place) and an in-place version on STUArray.
module Sort.Quick (quickSort, quickSortArray) where

import Control.Monad (when)
import Control.Monad.ST
import Data.Array.ST
import Data.Array.Unboxed

quickSort :: Ord a => [a] -> [a]
quickSort [] = []
quickSort (p : xs) = quickSort [x | x <- xs, x < p] ++ [p] ++ quickSort [x | x <- xs, x >= p]

quickSortArray :: [Int] -> [Int]
quickSortArray xs = elems result
  where
    n = length xs
    result :: UArray Int Int
    result = runSTUArray $ do
      arr <- newListArray (0, n - 1) xs
      sortRange arr 0 (n - 1)
      return arr

-- | Lomuto partition around the last element, then recurse on both sides.
sortRange :: STUArray s Int Int -> Int -> Int -> ST s ()
sortRange arr lo hi = when (lo < hi) $ do
  p <- readArray arr hi
  let loop i j
        | j >= hi = return i
        | otherwise = do
            v <- readArray arr j
            if v < p
              then swap arr i j >> loop (i + 1) (j + 1)
              else loop i (j + 1)
  i <- loop lo lo
  swap arr i hi
  sortRange arr lo (i - 1)
  sortRange arr (i + 1) hi

swap :: STUArray s Int Int -> Int -> Int -> ST s ()
swap arr i j = do
  a <- readArray arr i
  b <- readArray arr j
  writeArray arr i b
  writeArray arr j a
'''),
    ("wei-l/algorithms", "src/Search/Binary.hs", MIT, 230, True, '''\
-- | Binary search over a monotone predicate and over a sorted array.
module Search.Binary (firstTrue, searchArray, isqrt) where

import Data.Array

-- | Smallest n in [lo, hi] with p n, assuming p is monotone; Nothing if none.
firstTrue :: (Int -> Bool) -> Int -> Int -> Maybe Int
firstTrue p lo hi
  | lo > hi = Nothing
  | p mid = Just (maybe mid id (firstTrue p lo (mid - 1)))
  | otherwise = firstTrue p (mid + 1) hi
  where
    mid = lo + (hi - lo) `div` 2

searchArray :: Ord a => Array Int a -> a -> Maybe Int
searchArray arr x = case firstTrue (\\i -> arr ! i >= x) lo hi of
  Just i | arr ! i == x -> Just i
  _ -> Nothing
  where
    (lo, hi) = bounds arr

isqrt :: Int -> Int
isqrt n = maybe n (subtract 1) (firstTrue (\\k -> k * k > n) 0 (n + 1))
'''),
    ("wei-l/algorithms", "src/DP/Knapsack.hs", MIT, 230, True, '''\
-- | 0/1 knapsack with a lazily filled array (each cell computed once).
module DP.Knapsack (knapsack) where

import Data.Array

-- | Best total value within the capacity; items are (weight, value).
knapsack :: Int -> [(Int, Int)] -> Int
knapsack capacity items = table ! (n, capacity)
  where
    n = length items
    itemArr = listArray (1, n) items
    table = array ((0, 0), (n, capacity))
      [((i, w), best i w) | i <- [0 .. n], w <- [0 .. capacity]]
    best 0 _ = 0
    best i w =
      let (wi, vi) = itemArr ! i
          skip = table ! (i - 1, w)
       in if wi > w then skip else max skip (vi + table ! (i - 1, w - wi))
'''),
    ("wei-l/algorithms", "src/DP/EditDistance.hs", MIT, 230, True, '''\
-- | Levenshtein distance, row by row in O(min(n, m)) memory.
module DP.EditDistance (editDistance) where

editDistance :: Eq a => [a] -> [a] -> Int
editDistance xs ys = last (foldl nextRow [0 .. length ys] xs)
  where
    nextRow prev@(p : ps) x = scanl step (p + 1) (zip3 ys prev ps)
      where
        step left (y, diag, up) = minimum [left + 1, up + 1, diag + fromEnum (x /= y)]
    nextRow [] _ = []
'''),
    ("wei-l/algorithms", "src/DP/Coins.hs", MIT, 230, True, '''\
-- | Counting the ways to make change, with an infinite lazy list per coin.
module DP.Coins (ways, fewestCoins) where

ways :: [Int] -> Int -> Integer
ways coins target = foldr addCoin (1 : repeat 0) coins !! target
  where
    addCoin c table = let new = zipWith (+) table (replicate c 0 ++ new) in new

fewestCoins :: [Int] -> Int -> Maybe Int
fewestCoins coins target = table !! target
  where
    table = Just 0 : map best [1 ..]
    best n = case [k + 1 | c <- coins, c <= n, Just k <- [table !! (n - c)]] of
      [] -> Nothing
      ks -> Just (minimum ks)
'''),
    ("wei-l/algorithms", "src/Number/Primes.hs", MIT, 230, True, '''\
-- | Primes: a sieve of Eratosthenes on an unboxed array and trial-division factorisation.
module Number.Primes (primesUpTo, factorise, isPrime) where

import Control.Monad (forM_, when)
import Data.Array.ST (newArray, readArray, runSTUArray, writeArray)
import Data.Array.Unboxed (UArray, assocs)

primesUpTo :: Int -> [Int]
primesUpTo n
  | n < 2 = []
  | otherwise = [i | (i, True) <- assocs sieve]
  where
    sieve :: UArray Int Bool
    sieve = runSTUArray $ do
      arr <- newArray (2, n) True
      forM_ [2 .. n] $ \\i -> do
        isP <- readArray arr i
        when (isP && i * i <= n) $ forM_ [i * i, i * i + i .. n] $ \\j -> writeArray arr j False
      return arr

factorise :: Int -> [Int]
factorise = go 2
  where
    go p n
      | n < 2 = []
      | p * p > n = [n]
      | n `mod` p == 0 = p : go p (n `div` p)
      | otherwise = go (p + 1) n

isPrime :: Int -> Bool
isPrime n = n > 1 && factorise n == [n]
'''),
    ("wei-l/algorithms", "src/Number/Gcd.hs", MIT, 230, True, '''\
-- | Extended Euclid and modular inverse.
module Number.Gcd (egcd, modInverse, modPow) where

egcd :: Integer -> Integer -> (Integer, Integer, Integer)
egcd a 0 = (a, 1, 0)
egcd a b = let (g, x, y) = egcd b (a `mod` b) in (g, y, x - (a `div` b) * y)

modInverse :: Integer -> Integer -> Maybe Integer
modInverse a m = case egcd a m of
  (1, x, _) -> Just (x `mod` m)
  _ -> Nothing

modPow :: Integer -> Integer -> Integer -> Integer
modPow _ 0 m = 1 `mod` m
modPow b e m
  | even e = let h = modPow b (e `div` 2) m in h * h `mod` m
  | otherwise = b * modPow b (e - 1) m `mod` m
'''),
    ("wei-l/algorithms", "test/Spec.hs", MIT, 230, False, '''\
module Main (main) where

import DP.EditDistance (editDistance)
import Sort.Merge (mergeSort)
import Test.QuickCheck
import Data.List (sort)

prop_mergeSortSorts :: [Int] -> Bool
prop_mergeSortSorts xs = mergeSort xs == sort xs

prop_editDistanceSelf :: String -> Bool
prop_editDistanceSelf s = editDistance s s == 0

prop_editDistanceSymmetric :: String -> String -> Bool
prop_editDistanceSymmetric a b = editDistance a b == editDistance b a

main :: IO ()
main = do
  quickCheck prop_mergeSortSorts
  quickCheck prop_editDistanceSelf
  quickCheck prop_editDistanceSymmetric
'''),
    ("petra-n/lambda", "src/Lambda/Syntax.hs", BSD3, 61, True, '''\
-- | Untyped lambda calculus: terms with de Bruijn indices and named pretty-printing.
module Lambda.Syntax (Term (..), pretty, freeVars) where

import qualified Data.Set as S

data Term = Var Int | Lam String Term | App Term Term
  deriving (Show, Eq)

pretty :: Term -> String
pretty = go []
  where
    go names (Var i) = if i < length names then names !! i else "#" ++ show i
    go names (Lam x body) = "\\\\" ++ x ++ ". " ++ go (x : names) body
    go names (App f a) = paren f (go names f) ++ " " ++ arg a (go names a)
    paren (Lam _ _) s = "(" ++ s ++ ")"
    paren _ s = s
    arg (Var _) s = s
    arg _ s = "(" ++ s ++ ")"

freeVars :: Term -> S.Set Int
freeVars (Var i) = S.singleton i
freeVars (Lam _ b) = S.map (subtract 1) (S.filter (> 0) (freeVars b))
freeVars (App f a) = freeVars f `S.union` freeVars a
'''),
    ("petra-n/lambda", "src/Lambda/Eval.hs", BSD3, 61, True, '''\
-- | Normal-order beta reduction on de Bruijn terms, with a step limit.
module Lambda.Eval (Term (..), shift, subst, step, normalise) where

data Term = Var Int | Lam Term | App Term Term
  deriving (Show, Eq)

shift :: Int -> Int -> Term -> Term
shift d c (Var k) = Var (if k >= c then k + d else k)
shift d c (Lam b) = Lam (shift d (c + 1) b)
shift d c (App f a) = App (shift d c f) (shift d c a)

subst :: Int -> Term -> Term -> Term
subst j s (Var k) = if k == j then s else Var k
subst j s (Lam b) = Lam (subst (j + 1) (shift 1 0 s) b)
subst j s (App f a) = App (subst j s f) (subst j s a)

step :: Term -> Maybe Term
step (App (Lam b) a) = Just (shift (-1) 0 (subst 0 (shift 1 0 a) b))
step (App f a) = case step f of
  Just f' -> Just (App f' a)
  Nothing -> App f <$> step a
step (Lam b) = Lam <$> step b
step (Var _) = Nothing

normalise :: Int -> Term -> Either Term Term
normalise 0 t = Left t
normalise n t = maybe (Right t) (normalise (n - 1)) (step t)
'''),
    ("petra-n/lambda", "src/Lambda/Types.hs", BSD3, 61, True, '''\
-- | Simply typed lambda calculus: a type checker returning Either.
module Lambda.Types (Type (..), Expr (..), typeOf) where

import qualified Data.Map as M

data Type = TInt | TBool | TFun Type Type
  deriving (Show, Eq)

data Expr
  = EInt Int
  | EBool Bool
  | EVar String
  | ELam String Type Expr
  | EApp Expr Expr
  | EIf Expr Expr Expr
  | EAdd Expr Expr
  deriving Show

typeOf :: M.Map String Type -> Expr -> Either String Type
typeOf _ (EInt _) = Right TInt
typeOf _ (EBool _) = Right TBool
typeOf env (EVar x) = maybe (Left ("unbound variable " ++ x)) Right (M.lookup x env)
typeOf env (ELam x t body) = TFun t <$> typeOf (M.insert x t env) body
typeOf env (EApp f a) = do
  tf <- typeOf env f
  ta <- typeOf env a
  case tf of
    TFun from to | from == ta -> Right to
    _ -> Left ("cannot apply " ++ show tf ++ " to " ++ show ta)
typeOf env (EIf c t e) = do
  tc <- typeOf env c
  tt <- typeOf env t
  te <- typeOf env e
  if tc /= TBool then Left "condition is not Bool"
  else if tt /= te then Left "branches differ"
  else Right tt
typeOf env (EAdd a b) = do
  ta <- typeOf env a
  tb <- typeOf env b
  if ta == TInt && tb == TInt then Right TInt else Left "(+) needs Int"
'''),
    ("petra-n/lambda", "src/Lambda/Church.hs", BSD3, 61, True, '''\
{-# LANGUAGE RankNTypes #-}
-- | Church numerals and booleans as rank-2 types.
module Lambda.Church (Church, zero, suc, add, mul, toInt, fromInt, CBool, true, false, cif) where

newtype Church = Church (forall a. (a -> a) -> a -> a)

zero :: Church
zero = Church (\\_ x -> x)

suc :: Church -> Church
suc (Church n) = Church (\\f x -> f (n f x))

add :: Church -> Church -> Church
add (Church m) (Church n) = Church (\\f x -> m f (n f x))

mul :: Church -> Church -> Church
mul (Church m) (Church n) = Church (\\f -> m (n f))

toInt :: Church -> Int
toInt (Church n) = n (+ 1) 0

fromInt :: Int -> Church
fromInt k = iterate suc zero !! k

newtype CBool = CBool (forall a. a -> a -> a)

true, false :: CBool
true = CBool const
false = CBool (\\_ y -> y)

cif :: CBool -> a -> a -> a
cif (CBool b) = b
'''),
    ("carla-r/game-of-life", "src/Life.hs", MIT, 33, True, '''\
-- | Conway's Game of Life on an unbounded board stored as a Set of live cells.
module Life (Board, step, glider, render, generations) where

import qualified Data.Map.Strict as M
import qualified Data.Set as S

type Board = S.Set (Int, Int)

neighbours :: (Int, Int) -> [(Int, Int)]
neighbours (x, y) = [(x + dx, y + dy) | dx <- [-1, 0, 1], dy <- [-1, 0, 1], (dx, dy) /= (0, 0)]

step :: Board -> Board
step board = M.keysSet (M.filterWithKey alive counts)
  where
    counts = M.fromListWith (+) [(n, 1 :: Int) | c <- S.toList board, n <- neighbours c]
    alive c n = n == 3 || (n == 2 && c `S.member` board)

glider :: Board
glider = S.fromList [(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)]

render :: Int -> Int -> Board -> String
render w h b = unlines [[if (x, y) `S.member` b then '#' else '.' | x <- [0 .. w - 1]] | y <- [0 .. h - 1]]

generations :: Board -> [Board]
generations = iterate step
'''),
    ("carla-r/game-of-life", "app/Main.hs", MIT, 33, True, '''\
module Main (main) where

import Control.Concurrent (threadDelay)
import Control.Monad (forM_)
import qualified Data.Set as S

-- | Animate a blinker in the terminal for ten generations.
main :: IO ()
main = forM_ (take 10 (iterate step blinker)) $ \\board -> do
  putStr "\\ESC[2J\\ESC[H"
  putStr (unlines [[if S.member (x, y) board then 'O' else ' ' | x <- [0 .. 4 :: Int]] | y <- [0 .. 4 :: Int]])
  threadDelay 200000
  where
    blinker = S.fromList [(1, 2), (2, 2), (3, 2)]
    step b = S.fromList [c | c <- candidates b, rule c b]
    candidates b = S.toList (S.fromList (concatMap around (S.toList b)))
    around (x, y) = [(x + dx, y + dy) | dx <- [-1, 0, 1], dy <- [-1, 0, 1]]
    rule c b =
      let n = length [() | d <- around c, d /= c, S.member d b]
       in n == 3 || (n == 2 && S.member c b)
'''),
    ("yusuf-e/json-pretty", "src/Data/Json/Types.hs", APACHE, 15, True, '''\
-- | A JSON value type with a hand-written encoder (escaping per RFC 8259).
module Data.Json.Types (Value (..), encode) where

import Data.Char (ord)
import Data.List (intercalate)
import Numeric (showHex)

data Value
  = Null
  | Bool Bool
  | Number Double
  | String String
  | Array [Value]
  | Object [(String, Value)]
  deriving (Show, Eq)

encode :: Value -> String
encode Null = "null"
encode (Bool b) = if b then "true" else "false"
encode (Number n)
  | n == fromInteger (round n) = show (round n :: Integer)
  | otherwise = show n
encode (String s) = quote s
encode (Array vs) = "[" ++ intercalate "," (map encode vs) ++ "]"
encode (Object kvs) = "{" ++ intercalate "," [quote k ++ ":" ++ encode v | (k, v) <- kvs] ++ "}"

quote :: String -> String
quote s = "\\"" ++ concatMap escape s ++ "\\""
  where
    escape '"' = "\\\\\\""
    escape '\\\\' = "\\\\\\\\"
    escape '\\n' = "\\\\n"
    escape c
      | ord c < 0x20 = "\\\\u" ++ replicate (4 - length h) '0' ++ h
      | otherwise = [c]
      where
        h = showHex (ord c) ""
'''),
    ("yusuf-e/json-pretty", "src/Data/Json/Pretty.hs", APACHE, 15, True, '''\
-- | Indented rendering of a small JSON-like tree.
module Data.Json.Pretty (Node (..), prettyPrint) where

import Data.List (intercalate)

data Node = Leaf String | List [Node] | Dict [(String, Node)]

prettyPrint :: Int -> Node -> String
prettyPrint indentBy = go 0
  where
    pad n = replicate (n * indentBy) ' '
    go _ (Leaf s) = s
    go _ (List []) = "[]"
    go _ (Dict []) = "{}"
    go d (List xs) = "[\\n" ++ items d (map (go (d + 1)) xs) ++ "\\n" ++ pad d ++ "]"
    go d (Dict kvs) = "{\\n" ++ items d [show k ++ ": " ++ go (d + 1) v | (k, v) <- kvs] ++ "\\n" ++ pad d ++ "}"
    items d = intercalate ",\\n" . map (pad (d + 1) ++)
'''),
    ("ines-c/bloom", "src/Bloom.hs", BSD3, 4, True, '''\
-- | An immutable Bloom filter over an unboxed bit array, with double hashing.
module Bloom (Bloom, fromListB, mayContain) where

import Data.Array.Unboxed
import Data.Bits (xor)
import Data.Char (ord)
import Data.List (foldl')

data Bloom = Bloom { bits :: UArray Int Bool, hashes :: Int }

hash :: Int -> String -> Int
hash seed = foldl' (\\h c -> (h * 16777619) `xor` ord c) (2166136261 + seed)

positions :: Int -> Int -> String -> [Int]
positions size k s = [(h1 + i * h2) `mod` size | i <- [0 .. k - 1]]
  where
    h1 = abs (hash 0 s)
    h2 = abs (hash 7 s) + 1

fromListB :: Int -> Int -> [String] -> Bloom
fromListB size k xs = Bloom arr k
  where
    arr = accumArray (\\_ b -> b) False (0, size - 1) [(p, True) | x <- xs, p <- positions size k x]

mayContain :: Bloom -> String -> Bool
mayContain (Bloom arr k) s = all (arr !) (positions (rangeSize (bounds arr)) k s)
'''),
    ("ines-c/bloom", "src/LRU.hs", BSD3, 4, True, '''\
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
  let old = maybe (ages c) (\\(t, _) -> M.delete t (ages c)) (M.lookup k (entries c))
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
'''),
    ("dmitri-z/concurrency-notes", "src/Bank/STM.hs", MIT, 72, True, '''\
-- | Account transfers with STM: no lost updates, no deadlocks.
module Bank.STM (newAccount, transfer, balance) where

import Control.Concurrent.STM

newAccount :: Int -> IO (TVar Int)
newAccount = newTVarIO

transfer :: TVar Int -> TVar Int -> Int -> STM ()
transfer from to amount = do
  available <- readTVar from
  check (available >= amount)
  modifyTVar' from (subtract amount)
  modifyTVar' to (+ amount)

balance :: TVar Int -> IO Int
balance = readTVarIO
'''),
    ("dmitri-z/concurrency-notes", "src/Workers.hs", MIT, 72, True, '''\
-- | A fixed pool of worker threads reading jobs from a Chan.
module Workers (runPool) where

import Control.Concurrent
import Control.Monad (forM_, forever, replicateM, replicateM_)

runPool :: Int -> (a -> IO b) -> [a] -> IO [b]
runPool n work jobs = do
  jobChan <- newChan
  results <- newChan
  forM_ (zip [0 :: Int ..] jobs) (writeChan jobChan)
  replicateM_ n $ forkIO $ forever $ do
    (i, job) <- readChan jobChan
    r <- work job
    writeChan results (i, r)
  collected <- replicateM (length jobs) (readChan results)
  return [r | i <- [0 .. length jobs - 1], Just r <- [lookup i collected]]
'''),
    ("dmitri-z/concurrency-notes", "src/Timeout.hs", MIT, 72, True, '''\
-- | Racing two actions: whichever finishes first wins, the other is killed.
module Timeout (race', withTimeout) where

import Control.Concurrent
import Control.Exception (finally)

race' :: IO a -> IO b -> IO (Either a b)
race' left right = do
  done <- newEmptyMVar
  t1 <- forkIO (left >>= putMVar done . Left)
  t2 <- forkIO (right >>= putMVar done . Right)
  takeMVar done `finally` (killThread t1 >> killThread t2)

withTimeout :: Int -> IO a -> IO (Maybe a)
withTimeout micros action = either (const Nothing) Just <$> race' (threadDelay micros) action
'''),
    ("ana-g/records-extra", "src/Person.hs", MIT, 1, True, '''\
-- | Person records with smart constructors that validate their fields.
module Person (Person, mkPerson, personName, personAge, birthday, Email, mkEmail) where

import Data.Char (isSpace)

data Person = Person { personName :: String, personAge :: Int }
  deriving (Show, Eq)

newtype Email = Email String
  deriving (Show, Eq)

mkPerson :: String -> Int -> Either String Person
mkPerson n a
  | all isSpace n = Left "name must not be blank"
  | a < 0 || a > 150 = Left ("implausible age " ++ show a)
  | otherwise = Right (Person n a)

birthday :: Person -> Person
birthday p = p { personAge = personAge p + 1 }

mkEmail :: String -> Maybe Email
mkEmail s = case break (== '@') s of
  (user@(_ : _), '@' : domain) | '.' `elem` domain, '@' `notElem` domain -> Just (Email (user ++ "@" ++ domain))
  _ -> Nothing
'''),
    ("ana-g/records-extra", "src/Library.hs", MIT, 1, True, '''\
-- | A lending library: books, members and loans as records in Maps.
module Library (Library (..), Book (..), lend, giveBack, available) where

import qualified Data.Map.Strict as M
import qualified Data.Set as S

data Book = Book { isbn :: String, title :: String, author :: String }
  deriving (Show, Eq, Ord)

data Library = Library
  { books :: M.Map String Book
  , loans :: M.Map String String
  , members :: S.Set String
  }

lend :: String -> String -> Library -> Either String Library
lend member code lib
  | not (S.member member (members lib)) = Left ("unknown member " ++ member)
  | not (M.member code (books lib)) = Left ("unknown book " ++ code)
  | M.member code (loans lib) = Left ("already lent: " ++ code)
  | otherwise = Right lib { loans = M.insert code member (loans lib) }

giveBack :: String -> Library -> Library
giveBack code lib = lib { loans = M.delete code (loans lib) }

available :: Library -> [Book]
available lib = M.elems (books lib `M.withoutKeys` M.keysSet (loans lib))
'''),
    ("ana-g/records-extra", "src/Temperature.hs", MIT, 1, True, '''\
-- | Temperatures with explicit scales and conversions.
module Temperature (Temp (..), toCelsius, toFahrenheit, describe) where

data Temp = Celsius Double | Fahrenheit Double | Kelvin Double
  deriving Show

toCelsius :: Temp -> Double
toCelsius (Celsius c) = c
toCelsius (Fahrenheit f) = (f - 32) * 5 / 9
toCelsius (Kelvin k) = k - 273.15

toFahrenheit :: Temp -> Double
toFahrenheit t = toCelsius t * 9 / 5 + 32

describe :: Temp -> String
describe t
  | c < 0 = "freezing"
  | c < 15 = "cold"
  | c < 25 = "mild"
  | otherwise = "hot"
  where
    c = toCelsius t
'''),
    ("kofi-a/exercism-haskell", "bob/src/Bob.hs", MIT, 0, True, '''\
module Bob (responseFor) where

import Data.Char (isAlpha, isSpace, isUpper)

responseFor :: String -> String
responseFor input
  | silent = "Fine. Be that way!"
  | shouting && asking = "Calm down, I know what I'm doing!"
  | shouting = "Whoa, chill out!"
  | asking = "Sure."
  | otherwise = "Whatever."
  where
    trimmed = reverse (dropWhile isSpace (reverse input))
    letters = filter isAlpha trimmed
    silent = all isSpace input
    shouting = not (null letters) && all isUpper letters
    asking = not (null trimmed) && last trimmed == '?'
'''),
    ("kofi-a/exercism-haskell", "anagram/src/Anagram.hs", MIT, 0, True, '''\
module Anagram (anagramsFor) where

import Data.Char (toLower)
import Data.List (sort)

anagramsFor :: String -> [String] -> [String]
anagramsFor word = filter isAnagram
  where
    lower = map toLower
    key = sort (lower word)
    isAnagram w = lower w /= lower word && sort (lower w) == key
'''),
    ("kofi-a/exercism-haskell", "robot-simulator/src/Robot.hs", MIT, 0, True, '''\
module Robot (Bearing (..), Robot, bearing, coordinates, mkRobot, move) where

data Bearing = North | East | South | West
  deriving (Eq, Show, Enum, Bounded)

data Robot = Robot { bearing :: Bearing, coordinates :: (Integer, Integer) }
  deriving (Eq, Show)

mkRobot :: Bearing -> (Integer, Integer) -> Robot
mkRobot = Robot

turnRight, turnLeft :: Bearing -> Bearing
turnRight b = if b == maxBound then minBound else succ b
turnLeft b = if b == minBound then maxBound else pred b

advance :: Robot -> Robot
advance (Robot b (x, y)) = Robot b $ case b of
  North -> (x, y + 1)
  East -> (x + 1, y)
  South -> (x, y - 1)
  West -> (x - 1, y)

move :: Robot -> String -> Robot
move = foldl step
  where
    step r 'R' = r { bearing = turnRight (bearing r) }
    step r 'L' = r { bearing = turnLeft (bearing r) }
    step r 'A' = advance r
    step r _ = r
'''),
    ("kofi-a/exercism-haskell", "roman-numerals/src/Roman.hs", MIT, 0, True, '''\
module Roman (numerals, fromNumerals) where

table :: [(Int, String)]
table =
  [ (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")
  , (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")
  ]

numerals :: Int -> Maybe String
numerals n
  | n <= 0 || n >= 4000 = Nothing
  | otherwise = Just (go n table)
  where
    go 0 _ = ""
    go k ts@((v, s) : rest)
      | k >= v = s ++ go (k - v) ts
      | otherwise = go k rest
    go _ [] = ""

fromNumerals :: String -> Maybe Int
fromNumerals s = do
  n <- go s
  if numerals n == Just s then Just n else Nothing
  where
    go "" = Just 0
    go str = case [(v, drop (length sym) str) | (v, sym) <- table, take (length sym) str == sym] of
      ((v, rest) : _) -> (v +) <$> go rest
      [] -> Nothing
'''),
    ("kofi-a/exercism-haskell", "bank-account/src/BankAccount.hs", MIT, 0, True, '''\
module BankAccount (BankAccount, closeAccount, getBalance, incrementBalance, openAccount) where

import Control.Concurrent.MVar

newtype BankAccount = BankAccount (MVar (Maybe Integer))

openAccount :: IO BankAccount
openAccount = BankAccount <$> newMVar (Just 0)

closeAccount :: BankAccount -> IO ()
closeAccount (BankAccount v) = modifyMVar_ v (const (return Nothing))

getBalance :: BankAccount -> IO (Maybe Integer)
getBalance (BankAccount v) = readMVar v

incrementBalance :: BankAccount -> Integer -> IO (Maybe Integer)
incrementBalance (BankAccount v) amount = modifyMVar v $ \\b ->
  let b' = (+ amount) <$> b in return (b', b')
'''),
    ("kofi-a/exercism-haskell", "luhn/src/Luhn.hs", MIT, 0, True, '''\
module Luhn (isValid) where

import Data.Char (digitToInt, isDigit, isSpace)

isValid :: String -> Bool
isValid input = all (\\c -> isDigit c || isSpace c) input && length digits > 1 && total `mod` 10 == 0
  where
    digits = map digitToInt (filter isDigit input)
    total = sum (zipWith ($) (cycle [id, double]) (reverse digits))
    double d = let x = 2 * d in if x > 9 then x - 9 else x
'''),
    ("kofi-a/exercism-haskell", "matrix/src/Matrix.hs", MIT, 0, True, '''\
module Matrix (saddlePoints) where

import Data.Array (Array, Ix, assocs, bounds, (!))

-- | Positions whose value is the largest in its row and the smallest in its column.
saddlePoints :: (Ix i, Ix j, Ord e, Enum i, Enum j) => Array (i, j) e -> [(i, j)]
saddlePoints m = [p | (p@(r, c), v) <- assocs m, v == rowMax r, v == colMin c]
  where
    ((r0, c0), (r1, c1)) = bounds m
    rowMax r = maximum [m ! (r, c) | c <- [c0 .. c1]]
    colMin c = minimum [m ! (r, c) | r <- [r0 .. r1]]
'''),
    ("uma-h/haskell-notes", "src/Lenses.hs", BSD3, 11, True, '''\
{-# LANGUAGE RankNTypes #-}
-- | Van Laarhoven lenses from scratch: a lens is a function polymorphic in a Functor.
module Lenses (Lens, view, over, set, _1, _2, Point (..), px, py) where

import Data.Functor.Const (Const (..))
import Data.Functor.Identity (Identity (..))

type Lens s a = forall f. Functor f => (a -> f a) -> s -> f s

view :: Lens s a -> s -> a
view l = getConst . l Const

over :: Lens s a -> (a -> a) -> s -> s
over l f = runIdentity . l (Identity . f)

set :: Lens s a -> a -> s -> s
set l x = over l (const x)

_1 :: Lens (a, b) a
_1 f (a, b) = (\\a' -> (a', b)) <$> f a

_2 :: Lens (a, b) b
_2 f (a, b) = (\\b' -> (a, b')) <$> f b

data Point = Point { _x :: Double, _y :: Double }
  deriving Show

px, py :: Lens Point Double
px f p = (\\v -> p { _x = v }) <$> f (_x p)
py f p = (\\v -> p { _y = v }) <$> f (_y p)
'''),
    ("uma-h/haskell-notes", "src/FreeMonad.hs", BSD3, 11, True, '''\
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
'''),
    ("uma-h/haskell-notes", "src/TypeFamilies.hs", BSD3, 11, True, '''\
{-# LANGUAGE TypeFamilies #-}
-- | An associated type family: each collection says what its elements are.
module TypeFamilies (Collection (..)) where

import qualified Data.IntSet as IS
import qualified Data.Set as S

class Collection c where
  type Elem c
  cinsert :: Elem c -> c -> c
  cempty :: c
  ctoList :: c -> [Elem c]

instance Collection IS.IntSet where
  type Elem IS.IntSet = Int
  cinsert = IS.insert
  cempty = IS.empty
  ctoList = IS.toList

instance Ord a => Collection (S.Set a) where
  type Elem (S.Set a) = a
  cinsert = S.insert
  cempty = S.empty
  ctoList = S.toList

instance Collection [a] where
  type Elem [a] = a
  cinsert = (:)
  cempty = []
  ctoList = id
'''),
    ("uma-h/haskell-notes", "src/Streams.hs", BSD3, 11, True, '''\
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
'''),
    ("uma-h/haskell-notes", "src/Continuations.hs", BSD3, 11, True, '''\
-- | Continuation-passing style with the Cont monad: early exit from a loop.
module Continuations (firstNegative, factorialCPS) where

import Control.Monad (forM_, when)
import Control.Monad.Cont

firstNegative :: [Int] -> Maybe Int
firstNegative xs = flip runCont id $ callCC $ \\exit -> do
  forM_ xs $ \\x -> when (x < 0) (exit (Just x))
  return Nothing

factorialCPS :: Integer -> (Integer -> r) -> r
factorialCPS 0 k = k 1
factorialCPS n k = factorialCPS (n - 1) (k . (* n))
'''),
    ("olga-i/log-analyzer", "src/LogParse.hs", MIT, 27, True, '''\
-- | Parse web server log lines into records; keep bad lines with their line numbers.
module LogParse (Entry (..), Level (..), parseLine, parseLog) where

import Data.Either (partitionEithers)
import Text.Read (readMaybe)

data Level = Info | Warn | Error
  deriving (Show, Eq, Ord)

data Entry = Entry { timestamp :: Int, level :: Level, message :: String }
  deriving Show

parseLine :: String -> Maybe Entry
parseLine line = case words line of
  (lvl : ts : rest) -> Entry <$> readMaybe ts <*> parseLevel lvl <*> pure (unwords rest)
  _ -> Nothing
  where
    parseLevel "I" = Just Info
    parseLevel "W" = Just Warn
    parseLevel "E" = Just Error
    parseLevel _ = Nothing

parseLog :: String -> ([Int], [Entry])
parseLog = partitionEithers . zipWith classify [1 ..] . lines
  where
    classify n l = maybe (Left n) Right (parseLine l)
'''),
    ("olga-i/log-analyzer", "src/LogStats.hs", MIT, 27, True, '''\
-- | Aggregate statistics over parsed log entries.
module LogStats (countByLevel, busiestSecond, errorsBetween) where

import qualified Data.Map.Strict as M

countByLevel :: Ord l => [(l, String)] -> M.Map l Int
countByLevel es = M.fromListWith (+) [(l, 1) | (l, _) <- es]

busiestSecond :: [Int] -> Maybe (Int, Int)
busiestSecond [] = Nothing
busiestSecond ts = Just (M.foldrWithKey pick (0, 0) counts)
  where
    counts = M.fromListWith (+) [(t, 1 :: Int) | t <- ts]
    pick t n best@(_, m) = if n >= m then (t, n) else best

errorsBetween :: Int -> Int -> [(Int, String)] -> [String]
errorsBetween from to es = [msg | (t, msg) <- es, t >= from, t <= to]
'''),
]

# Rows the reader's filters must drop (expected reason in the manifest): they mimic what a real
# crawl contains next to hand-written code.
LONG_TABLE = ", ".join(str((i * 7919) % 10007) for i in range(420))
DROP_ROWS = [
    ("quentin-d/tiny-parsers", "src/Parser/Parser.hs", BSD3, 88, "autogenerated", '''\
{-# OPTIONS_GHC -w #-}
-- This file was generated by Happy Version 1.20.0 from src/Parser/Grammar.y. Do not edit.
module Parser.Parser (happyParse) where
import qualified Data.Array as Happy_Data_Array
happyActOffsets :: Happy_Data_Array.Array Int Int
happyActOffsets = Happy_Data_Array.listArray (0, 15) ([0,0,4,0,12,0,0,9,0,0,0,0,0,0,0,0])
happyGotoOffsets :: Happy_Data_Array.Array Int Int
happyGotoOffsets = Happy_Data_Array.listArray (0, 15) ([3,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0])
happyParse = undefined
'''),
    ("quentin-d/tiny-parsers", "src/Parser/Lexer.hs", BSD3, 88, "max_line_length", '''\
module Parser.Lexer (alexTable) where
alexTable :: [Int]
alexTable = [''' + LONG_TABLE + ''']
'''),
    ("ghost-b/blobs", "src/Assets.hs", MIT, 0, "avg_line_length", "module Assets where\n" + "\n".join(
        f'asset{i} = "{("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo" * 5)[i:i + 150]}"' for i in range(12)) + "\n"),
    ("ghost-b/blobs", "src/Banner.hs", MIT, 0, "alphanum_fraction", '''\
module Banner where
{-
 *==*==*==*==*==*==*==*==*==*==*==*==*==*==*==*
 ||  ()  ()  ()  ()  ()  ()  ()  ()  ()  ()  ||
 *==*==*==*==*==*==*==*==*==*==*==*==*==*==*==*
 ||  --  --  --  --  --  --  --  --  --  --  ||
 *==*==*==*==*==*==*==*==*==*==*==*==*==*==*==*
-}
'''),
    ("ghost-b/blobs", "src/Empty.hs", MIT, 0, "too_small", "module E where\n"),
    ("hugo-r/gpl-tools", "src/Checksum.hs", ["GPL-3.0-only"], 14, "license", '''\
-- | CRC-style rolling checksum (GPL-3.0 licensed project).
module Checksum (checksum) where

import Data.Char (ord)

checksum :: String -> Int
checksum = foldl (\\acc c -> (acc * 31 + ord c) `mod` 1000000007) 7
'''),
]


def _blob_sha(content: bytes) -> str:
    """Git's blob id, which The Stack uses as `hexsha`."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _row(n: int, repo: str, path: str, licenses: list, stars: int, content: str) -> dict:
    data = content.encode("utf-8")
    lengths = [len(line) for line in content.splitlines()] or [0]
    head = hashlib.sha1(repo.encode()).hexdigest()
    day = f"20{15 + n % 8}-{1 + n % 12:02d}-{1 + n % 27:02d}T{n % 24:02d}:{n % 60:02d}:07.000Z"
    row = {"hexsha": _blob_sha(data), "size": len(data), "ext": path.rsplit(".", 1)[-1], "lang": "Haskell"}
    for kind, count in (("stars", stars or None), ("issues", n % 5 or None), ("forks", stars // 4 or None)):
        row.update({
            f"max_{kind}_repo_path": path, f"max_{kind}_repo_name": repo,
            f"max_{kind}_repo_head_hexsha": head, f"max_{kind}_repo_licenses": licenses,
            f"max_{kind}_count": count,
            f"max_{kind}_repo_{kind}_event_min_datetime": day if count else None,
            f"max_{kind}_repo_{kind}_event_max_datetime": day if count else None,
        })
    row.update({"content": content, "avg_line_length": sum(lengths) / len(lengths),
                "max_line_length": max(lengths),
                "alphanum_fraction": sum(c.isalnum() for c in content) / len(content)})
    return row


def _schema() -> pa.Schema:
    fields = [("hexsha", pa.string()), ("size", pa.int64()), ("ext", pa.string()), ("lang", pa.string())]
    for kind in ("stars", "issues", "forks"):
        fields += [(f"max_{kind}_repo_path", pa.string()), (f"max_{kind}_repo_name", pa.string()),
                   (f"max_{kind}_repo_head_hexsha", pa.string()),
                   (f"max_{kind}_repo_licenses", pa.list_(pa.string())), (f"max_{kind}_count", pa.int64()),
                   (f"max_{kind}_repo_{kind}_event_min_datetime", pa.string()),
                   (f"max_{kind}_repo_{kind}_event_max_datetime", pa.string())]
    fields += [("content", pa.string()), ("avg_line_length", pa.float64()),
               ("max_line_length", pa.int64()), ("alphanum_fraction", pa.float64())]
    return pa.schema(fields)


SCHEMA = _schema()


def write_sample(out: Path) -> dict:
    entries = [(r, p, lic, s, comp, None, c) for r, p, lic, s, comp, c in FILES + FILES_B]
    entries += [(r, p, lic, s, False, reason, c) for r, p, lic, s, reason, c in DROP_ROWS]
    rows, manifest = [], {}
    for n, (repo, path, licenses, stars, compiles, reason, content) in enumerate(entries):
        row = _row(n, repo, path, licenses, stars, content)
        rows.append(row)
        manifest[row["hexsha"]] = {"repo": repo, "path": path, "compiles": compiles, "expected_drop": reason}
    shard_dir = out / "data" / "haskell"
    shard_dir.mkdir(parents=True, exist_ok=True)
    for k in range(2):  # two shards, several row groups each, like the real dataset
        table = pa.Table.from_pylist(rows[k::2], schema=SCHEMA)
        pq.write_table(table, shard_dir / f"train-0000{k}-of-00002.parquet", row_group_size=16)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


if __name__ == "__main__":
    manifest = write_sample(OUT)
    print(f"wrote {len(manifest)} files to {OUT / 'data/haskell'}")
