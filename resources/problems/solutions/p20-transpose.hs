import Data.List (transpose)

main :: IO ()
main = do
  (header : rows) <- lines <$> getContents
  let [r, _] = map read (words header) :: [Int]
      matrix = map words (take r rows)
  mapM_ (putStrLn . unwords) (transpose matrix)
