-- | A lending library: books, members and loans as records in Maps.
module Library (Library (..), Book (..), lend, giveBack, available) where

import qualified Data.Map.Strict as M
import qualified Data.Set as S

data Book = Book { isbn :: String, title :: String, author :: String }
  deriving (Show, Eq, Ord)

data Library = Library
  { books :: M.Map String Book
  , loans :: M.Map String String
  , members :: S.Set String
  }

lend :: String -> String -> Library -> Either String Library
lend member code lib
  | not (S.member member (members lib)) = Left ("unknown member " ++ member)
  | not (M.member code (books lib)) = Left ("unknown book " ++ code)
  | M.member code (loans lib) = Left ("already lent: " ++ code)
  | otherwise = Right lib { loans = M.insert code member (loans lib) }

giveBack :: String -> Library -> Library
giveBack code lib = lib { loans = M.delete code (loans lib) }

available :: Library -> [Book]
available lib = M.elems (books lib `M.withoutKeys` M.keysSet (loans lib))
