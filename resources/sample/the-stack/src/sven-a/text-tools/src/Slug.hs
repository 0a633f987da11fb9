{-# LANGUAGE OverloadedStrings #-}
-- | URL slugs from titles: lower case, ASCII letters and digits joined by dashes.
module Slug (slugify) where

import Data.Char (isAlphaNum, isAscii)
import qualified Data.Text as T

slugify :: T.Text -> T.Text
slugify = T.intercalate "-" . T.words . T.map keep . T.toLower
  where
    keep c
      | isAscii c && isAlphaNum c = c
      | otherwise = ' '
