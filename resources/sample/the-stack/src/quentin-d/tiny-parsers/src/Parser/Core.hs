-- | A minimal parser combinator library: enough to see how parsec works inside.
module Parser.Core
  ( Parser (..)
  , satisfy
  , char
  , string
  , many1
  , sepBy
  , spaces
  , token
  , parseAll
  ) where

import Control.Applicative
import Data.Char (isSpace)

newtype Parser a = Parser { runParser :: String -> Maybe (a, String) }

instance Functor Parser where
  fmap f (Parser p) = Parser $ \s -> case p s of
    Nothing -> Nothing
    Just (a, rest) -> Just (f a, rest)

instance Applicative Parser where
  pure x = Parser $ \s -> Just (x, s)
  Parser pf <*> Parser pa = Parser $ \s -> case pf s of
    Nothing -> Nothing
    Just (f, rest) -> case pa rest of
      Nothing -> Nothing
      Just (a, rest') -> Just (f a, rest')

instance Monad Parser where
  Parser p >>= f = Parser $ \s -> case p s of
    Nothing -> Nothing
    Just (a, rest) -> runParser (f a) rest

instance Alternative Parser where
  empty = Parser (const Nothing)
  Parser p <|> Parser q = Parser $ \s -> maybe (q s) Just (p s)

satisfy :: (Char -> Bool) -> Parser Char
satisfy ok = Parser $ \s -> case s of
  (c : cs) | ok c -> Just (c, cs)
  _ -> Nothing

char :: Char -> Parser Char
char c = satisfy (== c)

string :: String -> Parser String
string = traverse char

many1 :: Parser a -> Parser [a]
many1 = some

sepBy :: Parser a -> Parser sep -> Parser [a]
sepBy p sep = ((:) <$> p <*> many (sep *> p)) <|> pure []

spaces :: Parser ()
spaces = () <$ many (satisfy isSpace)

token :: Parser a -> Parser a
token p = p <* spaces

parseAll :: Parser a -> String -> Maybe a
parseAll p s = case runParser (spaces *> p) s of
  Just (a, "") -> Just a
  _ -> Nothing
