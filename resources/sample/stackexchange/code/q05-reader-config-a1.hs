import Control.Monad.Reader

data Config = Config { verbose :: Bool, indent :: Int }

render :: String -> Reader Config String
render msg = do
  n <- asks indent
  return (replicate n ' ' ++ msg)

renderAll :: [String] -> Reader Config [String]
renderAll msgs = do
  v <- asks verbose
  let shown = if v then msgs else take 1 msgs
  local (\c -> c { indent = indent c + 2 }) (mapM render shown)

main :: IO ()
main = mapM_ putStrLn (runReader (renderAll ["a", "b"]) (Config True 0))
