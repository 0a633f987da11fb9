-- | A fixed pool of worker threads reading jobs from a Chan.
module Workers (runPool) where

import Control.Concurrent
import Control.Monad (forM_, forever, replicateM, replicateM_)

runPool :: Int -> (a -> IO b) -> [a] -> IO [b]
runPool n work jobs = do
  jobChan <- newChan
  results <- newChan
  forM_ (zip [0 :: Int ..] jobs) (writeChan jobChan)
  replicateM_ n $ forkIO $ forever $ do
    (i, job) <- readChan jobChan
    r <- work job
    writeChan results (i, r)
  collected <- replicateM (length jobs) (readChan results)
  return [r | i <- [0 .. length jobs - 1], Just r <- [lookup i collected]]
