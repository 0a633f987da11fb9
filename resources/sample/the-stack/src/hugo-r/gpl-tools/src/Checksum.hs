-- | CRC-style rolling checksum (GPL-3.0 licensed project).
module Checksum (checksum) where

import Data.Char (ord)

checksum :: String -> Int
checksum = foldl (\acc c -> (acc * 31 + ord c) `mod` 1000000007) 7
