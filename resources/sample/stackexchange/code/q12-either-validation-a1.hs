import Text.Read (readMaybe)

parseAge :: String -> Either String Int
parseAge s = case readMaybe s of
  Just n | n >= 0 -> Right n
  Just _ -> Left ("negative age: " ++ s)
  Nothing -> Left ("not a number: " ++ s)

parseAll :: [String] -> Either String [Int]
parseAll = traverse parseAge
