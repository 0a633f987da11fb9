isPrime :: Int -> Bool
isPrime n = odd n
