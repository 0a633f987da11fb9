import qualified Data.ByteString.Lazy.Char8 as BL

countErrors :: BL.ByteString -> Int
countErrors = length . filter (BL.isPrefixOf (BL.pack "ERROR")) . BL.lines

main :: IO ()
main = BL.readFile "app.log" >>= print . countErrors
