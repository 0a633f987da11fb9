import qualified Data.IntMap.Strict as IntMap
import qualified Data.Set as Set

-- Kahn's algorithm with a set as the priority queue gives the smallest order.
main :: IO ()
main = do
  (n : m : rest) <- map read . words <$> getContents
  let edges = pairs (take (2 * m) rest)
      out = IntMap.fromListWith (++) [(a, [b]) | (a, b) <- edges]
      indeg = IntMap.unionWith (+) (IntMap.fromList [(v, 0) | v <- [1 .. n]])
                                   (IntMap.fromListWith (+) [(b, 1) | (_, b) <- edges])
      ready = Set.fromList [v | (v, 0) <- IntMap.toList indeg]
      order = kahn out indeg ready
  putStrLn (if length order == n then unwords (map show order) else "IMPOSSIBLE")

kahn :: IntMap.IntMap [Int] -> IntMap.IntMap Int -> Set.Set Int -> [Int]
kahn out indeg ready = case Set.minView ready of
  Nothing -> []
  Just (v, ready') ->
    let next = IntMap.findWithDefault [] v out
        indeg' = foldr (IntMap.adjust (subtract 1)) indeg next
        freed = [w | w <- next, indeg' IntMap.! w == 0]
    in v : kahn out indeg' (foldr Set.insert ready' freed)

pairs :: [Int] -> [(Int, Int)]
pairs (a : b : rest) = (a, b) : pairs rest
pairs _ = []
