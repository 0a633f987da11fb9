module TaskBoard (Task(..), openTasks, byPriority, complete) where

import Data.List (sortBy)
import Data.Ord (Down(..), comparing)

data Task = Task { title :: String, priority :: Int, done :: Bool } deriving (Show, Eq)

openTasks :: [Task] -> [String]
openTasks tasks = [title t | t <- tasks, not (done t)]

byPriority :: [Task] -> [Task]
byPriority = sortBy (comparing (\t -> (Down (priority t), title t)))

complete :: String -> [Task] -> Either String [Task]
complete name tasks
  | any ((== name) . title) tasks = Right [if title t == name then t { done = True } else t | t <- tasks]
  | otherwise = Left ("no task: " ++ name)
