import Data.Array (listArray, (!))

-- best ! x = fewest coins summing to x; built bottom-up in a lazy array.
main :: IO ()
main = do
  (n : t : rest) <- map read . words <$> getContents
  let coins = take n rest
      inf = maxBound :: Int
      best = listArray (0, t) (map go [0 .. t])
      go 0 = 0
      go x = minimum (inf : [best ! (x - c) + 1 | c <- coins, c <= x, best ! (x - c) /= inf])
  print (if best ! t == inf then -1 else best ! t)
