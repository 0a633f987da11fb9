data Validation e a = Failure e | Success a
  deriving Show

instance Functor (Validation e) where
  fmap _ (Failure e) = Failure e
  fmap f (Success a) = Success (f a)

instance Semigroup e => Applicative (Validation e) where
  pure = Success
  Failure a <*> Failure b = Failure (a <> b)
  Failure a <*> Success _ = Failure a
  Success _ <*> Failure b = Failure b
  Success f <*> Success x = Success (f x)

data Form = Form { user :: String, age :: Int } deriving Show

validate :: String -> Int -> Validation [String] Form
validate u a = Form <$> checkUser <*> checkAge
  where
    checkUser = if null u then Failure ["empty user"] else Success u
    checkAge = if a < 0 then Failure ["negative age"] else Success a
