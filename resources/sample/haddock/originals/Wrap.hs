{-# LANGUAGE OverloadedStrings #-}
{- |
Module      : Text.Wrap.Greedy
Description : Greedy word wrapping — « naïve » but predictable.

Lines never exceed the width unless a single word is longer than it.
-}
module Text.Wrap.Greedy (wrap, wrapWith, Options (..), defaultOptions) where

import Data.List (intercalate)

data Options = Options
  { width  :: !Int     -- ^ maximum line width (in characters)
  , indent :: String   -- ^ prefix for continuation lines, e.g. "  " or "→ "
  } deriving (Show)

defaultOptions :: Options
defaultOptions = Options { width = 72, indent = "" }

-- | Wrap with 'defaultOptions'.
wrap :: String -> String
wrap = wrapWith defaultOptions

-- | Greedy fill: add words to the line while they fit (&& never break a word).
wrapWith :: Options -> String -> String
wrapWith opts = intercalate "\n" . go [] 0 . words
  where
    go acc _ [] = [unwords (reverse acc) | not (null acc)]
    go [] _ (w : ws) = go [w] (length w) ws
    go acc n (w : ws)
      | n + 1 + length w <= width opts = go (w : acc) (n + 1 + length w) ws
      | otherwise = unwords (reverse acc) : map (indent opts ++) (go [w] (length w) ws)

-- λ-free zone: no lambdas below this line. Trailing spaces follow:   
