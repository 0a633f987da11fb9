-- | Bank accounts as records with validated operations.
module Bank.Account
  ( Account (..)
  , AccountError (..)
  , open
  , deposit
  , withdraw
  , transfer
  ) where

data Account = Account
  { accountId :: Int
  , owner :: String
  , balance :: Integer
  } deriving (Show, Eq)

data AccountError
  = InsufficientFunds Integer
  | NonPositiveAmount Integer
  | SameAccount
  deriving (Show, Eq)

open :: Int -> String -> Account
open i o = Account i o 0

deposit :: Integer -> Account -> Either AccountError Account
deposit amount acc
  | amount <= 0 = Left (NonPositiveAmount amount)
  | otherwise = Right acc { balance = balance acc + amount }

withdraw :: Integer -> Account -> Either AccountError Account
withdraw amount acc
  | amount <= 0 = Left (NonPositiveAmount amount)
  | amount > balance acc = Left (InsufficientFunds (balance acc))
  | otherwise = Right acc { balance = balance acc - amount }

transfer :: Integer -> Account -> Account -> Either AccountError (Account, Account)
transfer amount from to
  | accountId from == accountId to = Left SameAccount
  | otherwise = (,) <$> withdraw amount from <*> deposit amount to
