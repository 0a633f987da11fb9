-- WRONG (runtime error): indexes past the end when there are fewer than two distinct values.
import Data.List (nub, sortBy)

main :: IO ()
main = do
  (_ : xs) <- map read . words <$> getContents
  print (sortBy (flip compare) (nub xs) !! 1 :: Integer)
