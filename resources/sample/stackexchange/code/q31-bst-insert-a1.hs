data BST a = Nil | Branch (BST a) a (BST a)

insert :: Ord a => a -> BST a -> BST a
insert x Nil = Branch Nil x Nil
insert x t@(Branch l y r) = case compare x y of
  LT -> Branch (insert x l) y r
  GT -> Branch l y (insert x r)
  EQ -> t

fromList :: Ord a => [a] -> BST a
fromList = foldr insert Nil

toSortedList :: BST a -> [a]
toSortedList Nil = []
toSortedList (Branch l x r) = toSortedList l ++ [x] ++ toSortedList r
