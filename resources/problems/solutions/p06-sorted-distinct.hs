import qualified Data.Set as Set

main :: IO ()
main = do
  (_ : xs) <- map read . words <$> getContents
  putStrLn (unwords (map show (Set.toAscList (Set.fromList (xs :: [Int])))))
