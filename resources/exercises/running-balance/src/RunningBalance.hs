module RunningBalance (balances, lowestBalance, maxDrawdown) where

balances :: [Integer] -> [Integer]
balances txs = error "You need to implement this function."

lowestBalance :: [Integer] -> Integer
lowestBalance txs = error "You need to implement this function."

maxDrawdown :: [Integer] -> Integer
maxDrawdown txs = error "You need to implement this function."
