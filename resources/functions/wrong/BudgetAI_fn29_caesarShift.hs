caesarShift :: Int -> String -> String
caesarShift n s = map (\c -> toEnum (fromEnum c + n)) s
