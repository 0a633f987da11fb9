data Player = Player
  { name  :: String
  , score :: Int
  , level :: Int
  } deriving Show

levelUp :: Player -> Player
levelUp p = p { level = level p + 1, score = 0 }
