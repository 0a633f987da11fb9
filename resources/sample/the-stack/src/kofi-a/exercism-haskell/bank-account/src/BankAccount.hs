module BankAccount (BankAccount, closeAccount, getBalance, incrementBalance, openAccount) where

import Control.Concurrent.MVar

newtype BankAccount = BankAccount (MVar (Maybe Integer))

openAccount :: IO BankAccount
openAccount = BankAccount <$> newMVar (Just 0)

closeAccount :: BankAccount -> IO ()
closeAccount (BankAccount v) = modifyMVar_ v (const (return Nothing))

getBalance :: BankAccount -> IO (Maybe Integer)
getBalance (BankAccount v) = readMVar v

incrementBalance :: BankAccount -> Integer -> IO (Maybe Integer)
incrementBalance (BankAccount v) amount = modifyMVar v $ \b ->
  let b' = (+ amount) <$> b in return (b', b')
