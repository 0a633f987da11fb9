capitalizeWords :: String -> String
capitalizeWords s = s
