import qualified Data.Set as Set

-- Patience sorting: keep the smallest possible tail for each length; a strictly larger element
-- extends the longest, otherwise it replaces the first tail that is >= it.
main :: IO ()
main = do
  (_ : xs) <- map read . words <$> getContents
  print (Set.size (foldl insert Set.empty (xs :: [Int])))
  where
    insert tails x = case Set.lookupGE x tails of
      Nothing -> Set.insert x tails
      Just y -> Set.insert x (Set.delete y tails)
