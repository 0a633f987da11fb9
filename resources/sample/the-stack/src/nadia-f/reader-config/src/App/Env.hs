-- | Read typed settings from environment variables with defaults.
module App.Env (Settings (..), loadSettings) where

import System.Environment (lookupEnv)
import Text.Read (readMaybe)

data Settings = Settings { port :: Int, host :: String, debug :: Bool }
  deriving Show

loadSettings :: IO (Either String Settings)
loadSettings = do
  p <- lookupEnv "APP_PORT"
  h <- lookupEnv "APP_HOST"
  d <- lookupEnv "APP_DEBUG"
  return $ Settings
    <$> maybe (Right 8080) (parse "APP_PORT") p
    <*> pure (maybe "127.0.0.1" id h)
    <*> pure (d `elem` [Just "1", Just "true"])
  where
    parse name v = maybe (Left (name ++ " is not a number: " ++ v)) Right (readMaybe v)
