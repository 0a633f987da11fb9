main :: IO ()
main = do
  [a, b] <- map read . words <$> getContents
  mapM_ (putStrLn . fizz) [a .. b :: Int]

fizz :: Int -> String
fizz x
  | x `mod` 15 == 0 = "FizzBuzz"
  | x `mod` 3 == 0 = "Fizz"
  | x `mod` 5 == 0 = "Buzz"
  | otherwise = show x
