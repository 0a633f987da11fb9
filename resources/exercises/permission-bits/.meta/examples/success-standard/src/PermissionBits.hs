module PermissionBits (Permission(..), toBits, fromBits, render, renderMode) where

import Data.Char (digitToInt, isOctDigit)
import Data.List (nub)

data Permission = Read | Write | Execute deriving (Show, Eq, Ord, Enum, Bounded)

value :: Permission -> Int
value Read = 4
value Write = 2
value Execute = 1

toBits :: [Permission] -> Int
toBits = sum . map value . nub

fromBits :: Int -> Maybe [Permission]
fromBits n
  | n < 0 || n > 7 = Nothing
  | otherwise = Just [p | p <- [minBound .. maxBound], n `div` value p `mod` 2 == 1]

render :: Int -> Maybe String
render n = do
  ps <- fromBits n
  pure [if p `elem` ps then c else '-' | (p, c) <- zip [Read, Write, Execute] "rwx"]

renderMode :: String -> Maybe String
renderMode mode
  | length mode == 3 && all isOctDigit mode = concat <$> mapM (render . digitToInt) mode
  | otherwise = Nothing
