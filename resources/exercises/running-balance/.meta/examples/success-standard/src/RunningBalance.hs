module RunningBalance (balances, lowestBalance, maxDrawdown) where

balances :: [Integer] -> [Integer]
balances = tail . scanl (+) 0

lowestBalance :: [Integer] -> Integer
lowestBalance = minimum . scanl (+) 0

maxDrawdown :: [Integer] -> Integer
maxDrawdown txs = maximum (zipWith (-) peaks levels)
  where
    levels = scanl (+) 0 txs
    peaks = scanl1 max levels
