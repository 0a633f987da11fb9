import qualified Data.Map.Strict as Map
import qualified Data.Sequence as Seq
import Data.Sequence (Seq ((:<|)), (|>))
import Data.Array (Array, listArray, bounds, inRange, (!))

type Cell = (Int, Int)

main :: IO ()
main = do
  (header : rows) <- lines <$> getContents
  let [h, w] = map read (words header)
      grid = listArray ((0, 0), (h - 1, w - 1)) (concat (take h rows)) :: Array Cell Char
      find ch = head [p | r <- [0 .. h - 1], c <- [0 .. w - 1], let p = (r, c), grid ! p == ch]
  print (bfs grid (find 'S') (find 'T'))

-- Breadth-first search from the start; the first time the target is dequeued is the shortest.
bfs :: Array Cell Char -> Cell -> Cell -> Int
bfs grid start target = go (Seq.singleton start) (Map.singleton start 0)
  where
    go Seq.Empty _ = -1
    go (p@(r, c) :<| queue) dist
      | p == target = dist Map.! p
      | otherwise =
          let next = [ q | q <- [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]
                         , inRange (bounds grid) q, grid ! q /= '#', Map.notMember q dist ]
              d = dist Map.! p + 1
          in go (foldl (|>) queue next) (foldr (`Map.insert` d) dist next)
