-- WRONG (off-by-one): subtracts the prefix up to l instead of l - 1, dropping a_l.
import Data.Array (listArray, (!))

main :: IO ()
main = do
  (n : q : rest) <- map read . words <$> getContents
  let (xs, qs) = splitAt (fromInteger n) rest
      prefix = listArray (0, fromInteger n) (scanl (+) 0 xs)
      answer (l : r : more) = prefix ! r - prefix ! l : answer more
      answer _ = []
  mapM_ print (take (fromInteger q) (answer (map fromInteger qs)) :: [Integer])
