module MorseTranslator (codes, encode, decode) where

import Data.Char (toUpper)
import Data.List (intercalate)
import qualified Data.Map as Map

codes :: [(Char, String)]
codes =
  [ ('A', ".-"), ('B', "-..."), ('C', "-.-."), ('D', "-.."), ('E', "."), ('F', "..-.")
  , ('G', "--."), ('H', "...."), ('I', ".."), ('J', ".---"), ('K', "-.-"), ('L', ".-..")
  , ('M', "--"), ('N', "-."), ('O', "---"), ('P', ".--."), ('Q', "--.-"), ('R', ".-.")
  , ('S', "..."), ('T', "-"), ('U', "..-"), ('V', "...-"), ('W', ".--"), ('X', "-..-")
  , ('Y', "-.--"), ('Z', "--.."), ('0', "-----"), ('1', ".----"), ('2', "..---")
  , ('3', "...--"), ('4', "....-"), ('5', "....."), ('6', "-...."), ('7', "--...")
  , ('8', "---.."), ('9', "----.")
  ]

encode :: String -> Maybe String
encode text = intercalate " / " <$> mapM encodeWord (splitOn ' ' text)
  where
    encodeWord "" = Nothing
    encodeWord word = unwords <$> mapM (\c -> Map.lookup (toUpper c) toMorse) word
    toMorse = Map.fromList codes

decode :: String -> Maybe String
decode morse = unwords <$> mapM decodeWord (splitOnWord (words morse))
  where
    decodeWord = mapM (`Map.lookup` fromMorse)
    fromMorse = Map.fromList [(code, c) | (c, code) <- codes]
    splitOnWord ws = case break (== "/") ws of
      (word, []) -> [word]
      (word, _ : rest) -> word : splitOnWord rest

splitOn :: Char -> String -> [String]
splitOn sep s = case break (== sep) s of
  (part, []) -> [part]
  (part, _ : rest) -> part : splitOn sep rest
