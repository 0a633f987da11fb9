caesarShift :: Int -> String -> String
caesarShift n s = map shift s
  where
    shift c
      | c >= 'a' && c <= 'z' = toEnum ((fromEnum c - fromEnum 'a' + n) `mod` 26 + fromEnum 'a')
      | otherwise = c
