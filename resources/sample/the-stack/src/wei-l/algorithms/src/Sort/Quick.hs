-- | Quicksort on lists (functional, not in place) and an in-place version on STUArray.
module Sort.Quick (quickSort, quickSortArray) where

import Control.Monad (when)
import Control.Monad.ST
import Data.Array.ST
import Data.Array.Unboxed

quickSort :: Ord a => [a] -> [a]
quickSort [] = []
quickSort (p : xs) = quickSort [x | x <- xs, x < p] ++ [p] ++ quickSort [x | x <- xs, x >= p]

quickSortArray :: [Int] -> [Int]
quickSortArray xs = elems result
  where
    n = length xs
    result :: UArray Int Int
    result = runSTUArray $ do
      arr <- newListArray (0, n - 1) xs
      sortRange arr 0 (n - 1)
      return arr

-- | Lomuto partition around the last element, then recurse on both sides.
sortRange :: STUArray s Int Int -> Int -> Int -> ST s ()
sortRange arr lo hi = when (lo < hi) $ do
  p <- readArray arr hi
  let loop i j
        | j >= hi = return i
        | otherwise = do
            v <- readArray arr j
            if v < p
              then swap arr i j >> loop (i + 1) (j + 1)
              else loop i (j + 1)
  i <- loop lo lo
  swap arr i hi
  sortRange arr lo (i - 1)
  sortRange arr (i + 1) hi

swap :: STUArray s Int Int -> Int -> Int -> ST s ()
swap arr i j = do
  a <- readArray arr i
  b <- readArray arr j
  writeArray arr i b
  writeArray arr j a
