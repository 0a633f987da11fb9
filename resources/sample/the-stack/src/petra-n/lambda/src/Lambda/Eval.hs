-- | Normal-order beta reduction on de Bruijn terms, with a step limit.
module Lambda.Eval (Term (..), shift, subst, step, normalise) where

data Term = Var Int | Lam Term | App Term Term
  deriving (Show, Eq)

shift :: Int -> Int -> Term -> Term
shift d c (Var k) = Var (if k >= c then k + d else k)
shift d c (Lam b) = Lam (shift d (c + 1) b)
shift d c (App f a) = App (shift d c f) (shift d c a)

subst :: Int -> Term -> Term -> Term
subst j s (Var k) = if k == j then s else Var k
subst j s (Lam b) = Lam (subst (j + 1) (shift 1 0 s) b)
subst j s (App f a) = App (subst j s f) (subst j s a)

step :: Term -> Maybe Term
step (App (Lam b) a) = Just (shift (-1) 0 (subst 0 (shift 1 0 a) b))
step (App f a) = case step f of
  Just f' -> Just (App f' a)
  Nothing -> App f <$> step a
step (Lam b) = Lam <$> step b
step (Var _) = Nothing

normalise :: Int -> Term -> Either Term Term
normalise 0 t = Left t
normalise n t = maybe (Right t) (normalise (n - 1)) (step t)
