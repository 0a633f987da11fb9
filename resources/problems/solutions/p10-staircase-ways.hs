-- ways n = ways (n-1) + ways (n-2): Fibonacci, computed iteratively.
main :: IO ()
main = do
  n <- readLn
  print (fibs !! n)

fibs :: [Integer]
fibs = 1 : 1 : zipWith (+) fibs (tail fibs)
