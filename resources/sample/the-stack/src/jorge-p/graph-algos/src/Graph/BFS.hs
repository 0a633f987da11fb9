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
           in walk (foldl (|>) queue next) (foldr (\w -> M.insert w v) prev next)
    back v prev
      | v == from = [v]
      | otherwise = v : back (prev M.! v) prev
