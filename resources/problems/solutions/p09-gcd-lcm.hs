main :: IO ()
main = do
  (_ : xs) <- map read . words <$> getContents
  mapM_ putStrLn (answers xs)

answers :: [Integer] -> [String]
answers (a : b : rest) = (show (gcd a b) ++ " " ++ show (lcm a b)) : answers rest
answers _ = []
