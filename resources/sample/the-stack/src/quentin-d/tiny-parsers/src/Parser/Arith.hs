-- | Arithmetic expressions with precedence, parsed by chainl1 over ReadP.
module Parser.Arith (Expr (..), parseExpr, evalExpr) where

import Data.Char (isDigit, isSpace)
import Text.ParserCombinators.ReadP

data Expr = Num Integer | Add Expr Expr | Sub Expr Expr | Mul Expr Expr | Div Expr Expr
  deriving Show

lexeme :: ReadP a -> ReadP a
lexeme p = p <* skipSpaces

symbol :: Char -> ReadP Char
symbol = lexeme . char

number :: ReadP Expr
number = lexeme (Num . read <$> munch1 isDigit)

factor :: ReadP Expr
factor = number +++ between (symbol '(') (symbol ')') expr

term :: ReadP Expr
term = chainl1 factor ((Mul <$ symbol '*') +++ (Div <$ symbol '/'))

expr :: ReadP Expr
expr = chainl1 term ((Add <$ symbol '+') +++ (Sub <$ symbol '-'))

parseExpr :: String -> Maybe Expr
parseExpr s = case [e | (e, "") <- readP_to_S (skipSpaces *> expr <* eof) s] of
  [e] -> Just e
  _ -> Nothing

evalExpr :: Expr -> Either String Integer
evalExpr (Num n) = Right n
evalExpr (Add a b) = (+) <$> evalExpr a <*> evalExpr b
evalExpr (Sub a b) = (-) <$> evalExpr a <*> evalExpr b
evalExpr (Mul a b) = (*) <$> evalExpr a <*> evalExpr b
evalExpr (Div a b) = do
  x <- evalExpr a
  y <- evalExpr b
  if y == 0 then Left "division by zero" else Right (x `div` y)

_unused :: Char -> Bool
_unused = isSpace
