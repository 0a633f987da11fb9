module ExpressionTree (Expr(..), eval, simplify, variables) where

import Data.Map (Map)
import qualified Data.Map as Map
import qualified Data.Set as Set

data Expr = Lit Integer | Var String | Neg Expr | Add Expr Expr | Mul Expr Expr
  deriving (Show, Eq)

eval :: Map String Integer -> Expr -> Maybe Integer
eval _ (Lit n) = Just n
eval env (Var v) = Map.lookup v env
eval env (Neg e) = eval env e
eval env (Add a b) = (+) <$> eval env a <*> eval env b
eval env (Mul a b) = (*) <$> eval env a <*> eval env b

simplify :: Expr -> Expr
simplify expr = let next = step expr in if next == expr then expr else simplify next

step :: Expr -> Expr
step (Neg e) = rule (Neg (step e))
step (Add a b) = rule (Add (step a) (step b))
step (Mul a b) = rule (Mul (step a) (step b))
step e = e

rule :: Expr -> Expr
rule (Add (Lit 0) x) = x
rule (Add x (Lit 0)) = x
rule (Mul (Lit 1) x) = x
rule (Mul x (Lit 1)) = x
rule (Mul (Lit 0) _) = Lit 0
rule (Mul _ (Lit 0)) = Lit 0
rule (Neg (Neg x)) = x
rule (Neg (Lit n)) = Lit (negate n)
rule (Add (Lit a) (Lit b)) = Lit (a + b)
rule (Mul (Lit a) (Lit b)) = Lit (a * b)
rule e = e

variables :: Expr -> [String]
variables = Set.toAscList . go
  where
    go (Var v) = Set.singleton v
    go (Lit _) = Set.empty
    go (Neg e) = go e
    go (Add a b) = go a <> go b
    go (Mul a b) = go a <> go b
