module Roman (numerals, fromNumerals) where

table :: [(Int, String)]
table =
  [ (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")
  , (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")
  ]

numerals :: Int -> Maybe String
numerals n
  | n <= 0 || n >= 4000 = Nothing
  | otherwise = Just (go n table)
  where
    go 0 _ = ""
    go k ts@((v, s) : rest)
      | k >= v = s ++ go (k - v) ts
      | otherwise = go k rest
    go _ [] = ""

fromNumerals :: String -> Maybe Int
fromNumerals s = do
  n <- go s
  if numerals n == Just s then Just n else Nothing
  where
    go "" = Just 0
    go str = case [(v, drop (length sym) str) | (v, sym) <- table, take (length sym) str == sym] of
      ((v, rest) : _) -> (v +) <$> go rest
      [] -> Nothing
