import qualified Data.IntMap.Strict as IntMap
import qualified Data.IntSet as IntSet

-- Count components by depth-first search over an adjacency map.
main :: IO ()
main = do
  (n : m : rest) <- map read . words <$> getContents
  let edges = pairs (take (2 * m) rest)
      adj = IntMap.fromListWith (++) (concat [[(a, [b]), (b, [a])] | (a, b) <- edges])
  print (components n adj)

pairs :: [Int] -> [(Int, Int)]
pairs (a : b : rest) = (a, b) : pairs rest
pairs _ = []

components :: Int -> IntMap.IntMap [Int] -> Int
components n adj = fst (foldl visit (0, IntSet.empty) [1 .. n])
  where
    visit (count, seen) v
      | v `IntSet.member` seen = (count, seen)
      | otherwise = (count + 1, explore [v] seen)
    explore [] seen = seen
    explore (v : stack) seen
      | v `IntSet.member` seen = explore stack seen
      | otherwise = explore (IntMap.findWithDefault [] v adj ++ stack) (IntSet.insert v seen)
