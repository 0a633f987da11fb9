module TaskBoard (Task(..), openTasks, byPriority, complete) where

data Task = Task { title :: String, priority :: Int, done :: Bool } deriving (Show, Eq)

openTasks :: [Task] -> [String]
openTasks tasks = error "You need to implement this function."

byPriority :: [Task] -> [Task]
byPriority tasks = error "You need to implement this function."

complete :: String -> [Task] -> Either String [Task]
complete name tasks = error "You need to implement this function."
