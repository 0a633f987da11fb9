import Data.List (foldl')

sumStrict :: [Integer] -> Integer
sumStrict = foldl' (+) 0

main :: IO ()
main = print (sumStrict [1 .. 1000000])
