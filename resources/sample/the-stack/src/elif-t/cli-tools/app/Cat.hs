module Main (main) where

import qualified Data.ByteString as B
import System.Environment (getArgs)
import System.IO (stdout)

-- | cat with ByteString: copies files (or stdin) to stdout without decoding them.
main :: IO ()
main = do
  files <- getArgs
  if null files
    then B.getContents >>= B.hPut stdout
    else mapM_ (\f -> B.readFile f >>= B.hPut stdout) files
