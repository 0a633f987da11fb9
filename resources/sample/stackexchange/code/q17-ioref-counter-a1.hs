import Data.IORef

main :: IO ()
main = do
  counter <- newIORef (0 :: Int)
  mapM_ (\_ -> modifyIORef' counter (+ 1)) [1 .. 10 :: Int]
  readIORef counter >>= print
