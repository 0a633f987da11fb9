-- | Account transfers with STM: no lost updates, no deadlocks.
module Bank.STM (newAccount, transfer, balance) where

import Control.Concurrent.STM

newAccount :: Int -> IO (TVar Int)
newAccount = newTVarIO

transfer :: TVar Int -> TVar Int -> Int -> STM ()
transfer from to amount = do
  available <- readTVar from
  check (available >= amount)
  modifyTVar' from (subtract amount)
  modifyTVar' to (+ amount)

balance :: TVar Int -> IO Int
balance = readTVarIO
