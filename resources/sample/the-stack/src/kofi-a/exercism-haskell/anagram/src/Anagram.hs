module Anagram (anagramsFor) where

import Data.Char (toLower)
import Data.List (sort)

anagramsFor :: String -> [String] -> [String]
anagramsFor word = filter isAnagram
  where
    lower = map toLower
    key = sort (lower word)
    isAnagram w = lower w /= lower word && sort (lower w) == key
