module StackCalculator (evaluate) where

import Control.Monad (foldM)
import Text.Read (readMaybe)

evaluate :: String -> Either String Integer
evaluate expression = case words expression of
  [] -> Left "empty expression"
  tokens -> foldM step [] tokens >>= finish
  where
    finish [x] = Right x
    finish _ = Left "leftover values"

step :: [Integer] -> String -> Either String [Integer]
step stack token = case lookup token operators of
  Just op -> case stack of
    (y : x : rest) -> (: rest) <$> op x y
    _ -> Left "stack underflow"
  Nothing -> maybe (Left ("bad token: " ++ token)) (Right . (: stack)) (readMaybe token)

operators :: [(String, Integer -> Integer -> Either String Integer)]
operators =
  [ ("+", \x y -> Right (x + y))
  , ("-", \x y -> Right (x - y))
  , ("*", \x y -> Right (x * y))
  , ("/", \x y -> if y == 0 then Left "division by zero" else Right (x `div` y))
  ]
