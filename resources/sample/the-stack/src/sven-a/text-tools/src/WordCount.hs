-- | wc-like statistics over Data.Text.
module WordCount (Counts (..), countText) where

import qualified Data.Text as T

data Counts = Counts { lineCount :: !Int, wordCount :: !Int, charCount :: !Int }
  deriving (Show, Eq)

countText :: T.Text -> Counts
countText t = Counts (length (T.lines t)) (length (T.words t)) (T.length t)
