-- | Conway's Game of Life on an unbounded board stored as a Set of live cells.
module Life (Board, step, glider, render, generations) where

import qualified Data.Map.Strict as M
import qualified Data.Set as S

type Board = S.Set (Int, Int)

neighbours :: (Int, Int) -> [(Int, Int)]
neighbours (x, y) = [(x + dx, y + dy) | dx <- [-1, 0, 1], dy <- [-1, 0, 1], (dx, dy) /= (0, 0)]

step :: Board -> Board
step board = M.keysSet (M.filterWithKey alive counts)
  where
    counts = M.fromListWith (+) [(n, 1 :: Int) | c <- S.toList board, n <- neighbours c]
    alive c n = n == 3 || (n == 2 && c `S.member` board)

glider :: Board
glider = S.fromList [(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)]

render :: Int -> Int -> Board -> String
render w h b = unlines [[if (x, y) `S.member` b then '#' else '.' | x <- [0 .. w - 1]] | y <- [0 .. h - 1]]

generations :: Board -> [Board]
generations = iterate step
