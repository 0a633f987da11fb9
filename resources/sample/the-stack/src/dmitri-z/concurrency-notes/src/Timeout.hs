-- | Racing two actions: whichever finishes first wins, the other is killed.
module Timeout (race', withTimeout) where

import Control.Concurrent
import Control.Exception (finally)

race' :: IO a -> IO b -> IO (Either a b)
race' left right = do
  done <- newEmptyMVar
  t1 <- forkIO (left >>= putMVar done . Left)
  t2 <- forkIO (right >>= putMVar done . Right)
  takeMVar done `finally` (killThread t1 >> killThread t2)

withTimeout :: Int -> IO a -> IO (Maybe a)
withTimeout micros action = either (const Nothing) Just <$> race' (threadDelay micros) action
