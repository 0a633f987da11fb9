import Text.Printf (printf)

report :: [(String, Int)] -> IO ()
report = mapM_ (\(k, v) -> printf "%-10s %5d\n" k v)

main :: IO ()
main = report [("apples", 3), ("pears", 12)]
