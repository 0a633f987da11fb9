import qualified Data.Set as Set

main :: IO ()
main = do
  (_ : xs) <- map read . words <$> getContents
  let distinct = Set.fromList (xs :: [Integer])
  putStrLn $ case Set.toDescList distinct of
    (_ : second : _) -> show second
    _ -> "NONE"
