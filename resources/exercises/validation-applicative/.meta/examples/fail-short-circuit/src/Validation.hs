module Validation (Validation(..), User(..), validateUser) where

data Validation e a = Failure e | Success a deriving (Show, Eq)

instance Functor (Validation e) where
  fmap _ (Failure e) = Failure e
  fmap f (Success x) = Success (f x)

instance Semigroup e => Applicative (Validation e) where
  pure = Success
  Failure e <*> Success _ = Failure e
  Success _ <*> Failure e = Failure e
  Success f <*> Success x = Success (f x)

data User = User { userName :: String, userAge :: Int } deriving (Show, Eq)

validateUser :: String -> Int -> Validation [String] User
validateUser name age = User <$> checkName <*> checkAge
  where
    checkName = if null name then Failure ["empty name"] else Success name
    checkAge = if age >= 0 && age <= 150 then Success age else Failure ["bad age"]
