-- | A turnstile state machine driven with the State monad.
module Counter (Turnstile (..), Input (..), step, runInputs) where

import Control.Monad.State

data Turnstile = Locked | Unlocked
  deriving (Show, Eq)

data Input = Coin | Push
  deriving (Show, Eq)

step :: Input -> State (Turnstile, Int) Bool
step input = do
  (s, coins) <- get
  case (s, input) of
    (Locked, Coin) -> put (Unlocked, coins + 1) >> return True
    (Unlocked, Push) -> put (Locked, coins) >> return True
    (Unlocked, Coin) -> put (Unlocked, coins + 1) >> return False
    (Locked, Push) -> return False

runInputs :: [Input] -> ([Bool], (Turnstile, Int))
runInputs inputs = runState (mapM step inputs) (Locked, 0)
