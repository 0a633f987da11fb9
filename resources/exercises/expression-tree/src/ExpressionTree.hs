module ExpressionTree (Expr(..), eval, simplify, variables) where

import Data.Map (Map)

data Expr = Lit Integer | Var String | Neg Expr | Add Expr Expr | Mul Expr Expr
  deriving (Show, Eq)

eval :: Map String Integer -> Expr -> Maybe Integer
eval env expr = error "You need to implement this function."

simplify :: Expr -> Expr
simplify expr = error "You need to implement this function."

variables :: Expr -> [String]
variables expr = error "You need to implement this function."
