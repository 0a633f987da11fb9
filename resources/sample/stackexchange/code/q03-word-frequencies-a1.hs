import qualified Data.Map.Strict as Map
import Data.Char (toLower, isAlpha)

wordFreq :: String -> Map.Map String Int
wordFreq = Map.fromListWith (+) . map (\w -> (w, 1)) . words . map normalise
  where
    normalise c = if isAlpha c then toLower c else ' '

main :: IO ()
main = print (Map.toList (wordFreq "the cat and the hat"))
