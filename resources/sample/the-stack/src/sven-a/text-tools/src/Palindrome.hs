-- | Palindrome checks that ignore case and punctuation.
module Palindrome (isPalindrome, longestPalindrome) where

import Data.Char (isAlpha, toLower)
import Data.List (inits, maximumBy, tails)
import Data.Ord (comparing)

isPalindrome :: String -> Bool
isPalindrome s = cleaned == reverse cleaned
  where
    cleaned = map toLower (filter isAlpha s)

longestPalindrome :: String -> String
longestPalindrome s = maximumBy (comparing length) ("" : candidates)
  where
    candidates = [sub | t <- tails s, sub <- inits t, not (null sub), sub == reverse sub]
