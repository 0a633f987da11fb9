-- | Application configuration and the Reader-based App monad.
module App.Config (Config (..), App, runApp, logMsg, defaultConfig) where

import Control.Monad.Reader

data Config = Config
  { appName :: String
  , logLevel :: Int
  , maxRetries :: Int
  } deriving Show

type App = ReaderT Config IO

defaultConfig :: Config
defaultConfig = Config { appName = "demo", logLevel = 1, maxRetries = 3 }

runApp :: Config -> App a -> IO a
runApp = flip runReaderT

logMsg :: Int -> String -> App ()
logMsg level msg = do
  cfg <- ask
  when (level <= logLevel cfg) $
    liftIO (putStrLn ("[" ++ appName cfg ++ "] " ++ msg))
