import Data.List (group)

rle :: String -> [(Char, Int)]
rle = map (\g -> (head g, length g)) . group
