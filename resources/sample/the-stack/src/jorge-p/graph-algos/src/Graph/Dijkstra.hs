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
