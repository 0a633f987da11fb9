import Control.Monad (forM_)

main :: IO ()
main = forM_ [1 :: Int .. 3] $ \i -> do
  putStr "line "
  print i
