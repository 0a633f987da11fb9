import Data.List (sortOn)

-- Greedy: always take the meeting that ends first among those that still fit.
main :: IO ()
main = do
  (n : rest) <- map read . words <$> getContents
  let meetings = sortOn snd (pairs (take (2 * n) rest))
  print (fst (foldl take1 (0 :: Int, minBound) meetings))
  where
    take1 (count, end) (s, e)
      | s >= end = (count + 1, e)
      | otherwise = (count, end)

pairs :: [Int] -> [(Int, Int)]
pairs (a : b : rest) = (a, b) : pairs rest
pairs _ = []
