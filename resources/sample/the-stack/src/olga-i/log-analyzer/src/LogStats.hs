-- | Aggregate statistics over parsed log entries.
module LogStats (countByLevel, busiestSecond, errorsBetween) where

import qualified Data.Map.Strict as M

countByLevel :: Ord l => [(l, String)] -> M.Map l Int
countByLevel es = M.fromListWith (+) [(l, 1) | (l, _) <- es]

busiestSecond :: [Int] -> Maybe (Int, Int)
busiestSecond [] = Nothing
busiestSecond ts = Just (M.foldrWithKey pick (0, 0) counts)
  where
    counts = M.fromListWith (+) [(t, 1 :: Int) | t <- ts]
    pick t n best@(_, m) = if n >= m then (t, n) else best

errorsBetween :: Int -> Int -> [(Int, String)] -> [String]
errorsBetween from to es = [msg | (t, msg) <- es, t >= from, t <= to]
