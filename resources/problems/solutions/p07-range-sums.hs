import Data.Array (listArray, (!))

-- Prefix sums in an array make each query O(1).
main :: IO ()
main = do
  (n : q : rest) <- map read . words <$> getContents
  let (xs, qs) = splitAt (fromInteger n) rest
      prefix = listArray (0, fromInteger n) (scanl (+) 0 xs)
      answer (l : r : more) = prefix ! r - prefix ! (l - 1) : answer more
      answer _ = []
  mapM_ print (take (fromInteger q) (answer (map fromInteger qs)) :: [Integer])
