import qualified Data.List.NonEmpty as NE

rle :: String -> [(Char, Int)]
rle = map (\g -> (NE.head g, NE.length g)) . NE.group
