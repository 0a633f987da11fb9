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
