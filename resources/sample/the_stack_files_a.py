"""Original Haskell source files for the The Stack sample (part A: data structures, type classes,
records). Each entry: (repository, path, licenses, stars, compiles, content). Written for this
project; `compiles` means it type-checks alone with GHC's bundled packages."""

MIT, APACHE, BSD3 = ["MIT"], ["Apache-2.0"], ["BSD-3-Clause"]

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
