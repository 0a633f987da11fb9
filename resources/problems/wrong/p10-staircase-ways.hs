-- WRONG (too slow): the naive recursion takes exponential time; n = 90 never finishes.
main :: IO ()
main = do
  n <- readLn
  print (ways n)

ways :: Int -> Integer
ways n
  | n <= 1 = 1
  | otherwise = ways (n - 1) + ways (n - 2)
