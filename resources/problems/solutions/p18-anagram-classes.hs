import Data.List (sort)
import qualified Data.Set as Set

-- Anagrams share their sorted letters, so count distinct sorted words.
main :: IO ()
main = do
  (_ : ws) <- words <$> getContents
  print (Set.size (Set.fromList (map sort ws)))
