{-# LANGUAGE TypeFamilies #-}
-- | An associated type family: each collection says what its elements are.
module TypeFamilies (Collection (..)) where

import qualified Data.IntSet as IS
import qualified Data.Set as S

class Collection c where
  type Elem c
  cinsert :: Elem c -> c -> c
  cempty :: c
  ctoList :: c -> [Elem c]

instance Collection IS.IntSet where
  type Elem IS.IntSet = Int
  cinsert = IS.insert
  cempty = IS.empty
  ctoList = IS.toList

instance Ord a => Collection (S.Set a) where
  type Elem (S.Set a) = a
  cinsert = S.insert
  cempty = S.empty
  ctoList = S.toList

instance Collection [a] where
  type Elem [a] = a
  cinsert = (:)
  cempty = []
  ctoList = id
