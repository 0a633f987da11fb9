newtype Matrix = Matrix [[Int]]

render :: Matrix -> String
render (Matrix rows) = unlines (map (unwords . map show) rows)

main :: IO ()
main = putStr (render (Matrix [[1, 2], [3, 4]]))
