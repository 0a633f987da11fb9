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
