import Control.Concurrent
import Control.Monad (forM, forM_, replicateM_)

main :: IO ()
main = do
  counter <- newMVar (0 :: Int)
  dones <- forM [1 .. 4 :: Int] $ \_ -> do
    done <- newEmptyMVar
    _ <- forkIO $ do
      replicateM_ 1000 (modifyMVar_ counter (return . (+ 1)))
      putMVar done ()
    return done
  forM_ dones takeMVar
  readMVar counter >>= print
