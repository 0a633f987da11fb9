module Robot (Bearing (..), Robot, bearing, coordinates, mkRobot, move) where

data Bearing = North | East | South | West
  deriving (Eq, Show, Enum, Bounded)

data Robot = Robot { bearing :: Bearing, coordinates :: (Integer, Integer) }
  deriving (Eq, Show)

mkRobot :: Bearing -> (Integer, Integer) -> Robot
mkRobot = Robot

turnRight, turnLeft :: Bearing -> Bearing
turnRight b = if b == maxBound then minBound else succ b
turnLeft b = if b == minBound then maxBound else pred b

advance :: Robot -> Robot
advance (Robot b (x, y)) = Robot b $ case b of
  North -> (x, y + 1)
  East -> (x + 1, y)
  South -> (x, y - 1)
  West -> (x - 1, y)

move :: Robot -> String -> Robot
move = foldl step
  where
    step r 'R' = r { bearing = turnRight (bearing r) }
    step r 'L' = r { bearing = turnLeft (bearing r) }
    step r 'A' = advance r
    step r _ = r
