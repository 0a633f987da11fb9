-- | Retry an IO action a configured number of times, reading the limit from the environment.
module App.Retry (retrying) where

import Control.Exception (IOException, try)
import Control.Monad.Reader

retrying :: Int -> IO a -> ReaderT Int IO (Either String a)
retrying attempt action = do
  limit <- ask
  result <- liftIO (try action)
  case result of
    Right x -> return (Right x)
    Left err
      | attempt >= limit -> return (Left (show (err :: IOException)))
      | otherwise -> retrying (attempt + 1) action
