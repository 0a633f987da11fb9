import Control.Monad.State

data Tree a = Leaf a | Node (Tree a) (Tree a)
  deriving Show

fresh :: State Int Int
fresh = do
  n <- get
  put (n + 1)
  return n

label :: Tree a -> State Int (Tree (Int, a))
label (Leaf x) = do
  n <- fresh
  return (Leaf (n, x))
label (Node l r) = Node <$> label l <*> label r

labelTree :: Tree a -> Tree (Int, a)
labelTree t = evalState (label t) 0
