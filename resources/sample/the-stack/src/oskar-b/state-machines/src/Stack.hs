-- | A stack machine: StateT over Either for instructions that can fail.
module Stack (Instr (..), exec, runProgram) where

import Control.Monad.State

data Instr = Push Int | Pop | AddI | MulI | Dup | Swap
  deriving Show

type Machine = StateT [Int] (Either String)

pop' :: Machine Int
pop' = do
  stack <- get
  case stack of
    (x : xs) -> put xs >> return x
    [] -> lift (Left "pop from empty stack")

exec :: Instr -> Machine ()
exec (Push n) = modify (n :)
exec Pop = void pop'
exec AddI = binary (+)
exec MulI = binary (*)
exec Dup = do
  x <- pop'
  modify ([x, x] ++)
exec Swap = do
  x <- pop'
  y <- pop'
  modify ([y, x] ++)

binary :: (Int -> Int -> Int) -> Machine ()
binary f = do
  x <- pop'
  y <- pop'
  modify (f y x :)

runProgram :: [Instr] -> Either String [Int]
runProgram prog = execStateT (mapM_ exec prog) []
