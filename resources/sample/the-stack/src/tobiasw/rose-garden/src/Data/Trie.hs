-- | A prefix tree over strings backed by Data.Map.
module Data.Trie (Trie, emptyTrie, insertWord, member, withPrefix, size) where

import qualified Data.Map.Strict as M
import Data.Maybe (fromMaybe)

data Trie = Trie { terminal :: !Bool, children :: M.Map Char Trie }

emptyTrie :: Trie
emptyTrie = Trie False M.empty

insertWord :: String -> Trie -> Trie
insertWord [] t = t { terminal = True }
insertWord (c : cs) t =
  let child = fromMaybe emptyTrie (M.lookup c (children t))
   in t { children = M.insert c (insertWord cs child) (children t) }

member :: String -> Trie -> Bool
member [] t = terminal t
member (c : cs) t = maybe False (member cs) (M.lookup c (children t))

-- | All stored words that start with the prefix.
withPrefix :: String -> Trie -> [String]
withPrefix prefix t0 = maybe [] (map (prefix ++) . go) (descend prefix t0)
  where
    descend [] t = Just t
    descend (c : cs) t = M.lookup c (children t) >>= descend cs
    go t = [[] | terminal t] ++ [c : w | (c, k) <- M.toList (children t), w <- go k]

size :: Trie -> Int
size t = fromEnum (terminal t) + sum (map size (M.elems (children t)))
