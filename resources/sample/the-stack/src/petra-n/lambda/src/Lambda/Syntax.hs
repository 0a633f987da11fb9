-- | Untyped lambda calculus: terms with de Bruijn indices and named pretty-printing.
module Lambda.Syntax (Term (..), pretty, freeVars) where

import qualified Data.Set as S

data Term = Var Int | Lam String Term | App Term Term
  deriving (Show, Eq)

pretty :: Term -> String
pretty = go []
  where
    go names (Var i) = if i < length names then names !! i else "#" ++ show i
    go names (Lam x body) = "\\" ++ x ++ ". " ++ go (x : names) body
    go names (App f a) = paren f (go names f) ++ " " ++ arg a (go names a)
    paren (Lam _ _) s = "(" ++ s ++ ")"
    paren _ s = s
    arg (Var _) s = s
    arg _ s = "(" ++ s ++ ")"

freeVars :: Term -> S.Set Int
freeVars (Var i) = S.singleton i
freeVars (Lam _ b) = S.map (subtract 1) (S.filter (> 0) (freeVars b))
freeVars (App f a) = freeVars f `S.union` freeVars a
