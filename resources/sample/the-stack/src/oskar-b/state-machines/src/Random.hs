-- | A linear congruential generator threaded through State, for reproducible simulations.
module Random (Seed, nextInt, randomR', shuffle, rollDice) where

import Control.Monad.State
import qualified Data.Map as M

type Seed = Int

nextInt :: State Seed Int
nextInt = do
  s <- get
  let s' = (s * 1103515245 + 12345) `mod` 2147483648
  put s'
  return s'

randomR' :: (Int, Int) -> State Seed Int
randomR' (lo, hi) = (\x -> lo + x `mod` (hi - lo + 1)) <$> nextInt

-- | Fisher-Yates over a Map from index to element.
shuffle :: [a] -> State Seed [a]
shuffle xs = go (length xs - 1) (M.fromList (zip [0 ..] xs))
  where
    go i m
      | i <= 0 = return (M.elems m)
      | otherwise = do
          j <- randomR' (0, i)
          let m' = M.insert i (m M.! j) (M.insert j (m M.! i) m)
          go (i - 1) m'

rollDice :: Int -> Seed -> [Int]
rollDice n = evalState (replicateM n (randomR' (1, 6)))
