-- | Simply typed lambda calculus: a type checker returning Either.
module Lambda.Types (Type (..), Expr (..), typeOf) where

import qualified Data.Map as M

data Type = TInt | TBool | TFun Type Type
  deriving (Show, Eq)

data Expr
  = EInt Int
  | EBool Bool
  | EVar String
  | ELam String Type Expr
  | EApp Expr Expr
  | EIf Expr Expr Expr
  | EAdd Expr Expr
  deriving Show

typeOf :: M.Map String Type -> Expr -> Either String Type
typeOf _ (EInt _) = Right TInt
typeOf _ (EBool _) = Right TBool
typeOf env (EVar x) = maybe (Left ("unbound variable " ++ x)) Right (M.lookup x env)
typeOf env (ELam x t body) = TFun t <$> typeOf (M.insert x t env) body
typeOf env (EApp f a) = do
  tf <- typeOf env f
  ta <- typeOf env a
  case tf of
    TFun from to | from == ta -> Right to
    _ -> Left ("cannot apply " ++ show tf ++ " to " ++ show ta)
typeOf env (EIf c t e) = do
  tc <- typeOf env c
  tt <- typeOf env t
  te <- typeOf env e
  if tc /= TBool then Left "condition is not Bool"
  else if tt /= te then Left "branches differ"
  else Right tt
typeOf env (EAdd a b) = do
  ta <- typeOf env a
  tb <- typeOf env b
  if ta == TInt && tb == TInt then Right TInt else Left "(+) needs Int"
