-- | Person records with smart constructors that validate their fields.
module Person (Person, mkPerson, personName, personAge, birthday, Email, mkEmail) where

import Data.Char (isSpace)

data Person = Person { personName :: String, personAge :: Int }
  deriving (Show, Eq)

newtype Email = Email String
  deriving (Show, Eq)

mkPerson :: String -> Int -> Either String Person
mkPerson n a
  | all isSpace n = Left "name must not be blank"
  | a < 0 || a > 150 = Left ("implausible age " ++ show a)
  | otherwise = Right (Person n a)

birthday :: Person -> Person
birthday p = p { personAge = personAge p + 1 }

mkEmail :: String -> Maybe Email
mkEmail s = case break (== '@') s of
  (user@(_ : _), '@' : domain) | '.' `elem` domain, '@' `notElem` domain -> Just (Email (user ++ "@" ++ domain))
  _ -> Nothing
