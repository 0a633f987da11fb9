module Main (main) where

import Control.Concurrent (threadDelay)
import Control.Monad (forM_)
import qualified Data.Set as S

-- | Animate a blinker in the terminal for ten generations.
main :: IO ()
main = forM_ (take 10 (iterate step blinker)) $ \board -> do
  putStr "\ESC[2J\ESC[H"
  putStr (unlines [[if S.member (x, y) board then 'O' else ' ' | x <- [0 .. 4 :: Int]] | y <- [0 .. 4 :: Int]])
  threadDelay 200000
  where
    blinker = S.fromList [(1, 2), (2, 2), (3, 2)]
    step b = S.fromList [c | c <- candidates b, rule c b]
    candidates b = S.toList (S.fromList (concatMap around (S.toList b)))
    around (x, y) = [(x + dx, y + dy) | dx <- [-1, 0, 1], dy <- [-1, 0, 1]]
    rule c b =
      let n = length [() | d <- around c, d /= c, S.member d b]
       in n == 3 || (n == 2 && S.member c b)
