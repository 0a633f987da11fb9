import Data.Char (toLower)
import Data.Maybe (fromMaybe)

data Opts = Opts { port :: Maybe Int, host :: Maybe String }

resolvedPort :: Opts -> Int
resolvedPort = fromMaybe 8080 . port

resolvedHost :: Opts -> String
resolvedHost = maybe "localhost" (map toLower) . host
