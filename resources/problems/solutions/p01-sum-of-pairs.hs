-- Sum every pair: read all numbers, drop the count, add them two at a time.
main :: IO ()
main = do
  (_ : xs) <- map read . words <$> getContents
  mapM_ print (sums xs)

sums :: [Integer] -> [Integer]
sums (a : b : rest) = a + b : sums rest
sums _ = []
