{-# LANGUAGE FlexibleContexts #-}
import Control.Monad.State
import Control.Monad.Except

pop :: (MonadState [Int] m, MonadError String m) => m Int
pop = do
  stack <- get
  case stack of
    (x : rest) -> put rest >> return x
    [] -> throwError "stack underflow"

push :: MonadState [Int] m => Int -> m ()
push x = modify (x :)

addTop :: (MonadState [Int] m, MonadError String m) => m ()
addTop = do
  a <- pop
  b <- pop
  push (a + b)

runMachine :: [Int] -> Either String ((), [Int])
runMachine = runExcept . runStateT addTop
