import qualified Data.Map as Map
import Test.Hspec

import Settings (parseSettings)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "parseSettings" $ do
  it "reads one pair" $
    parseSettings "name=budget" `shouldBe` Right (Map.fromList [("name", "budget")])
  it "trims around key and value" $
    parseSettings "  port   =  8080  " `shouldBe` Right (Map.fromList [("port", "8080")])
  it "skips blank and comment lines" $
    parseSettings "# settings\n\n   \n  # more\nmode = fast\n"
      `shouldBe` Right (Map.fromList [("mode", "fast")])
  it "keeps = inside the value" $
    parseSettings "expr = a=b" `shouldBe` Right (Map.fromList [("expr", "a=b")])
  it "a later key wins" $
    parseSettings "k = 1\nk = 2" `shouldBe` Right (Map.fromList [("k", "2")])
  it "names the line without =" $
    parseSettings "a = 1\nbroken line\n" `shouldBe` Left "line 2: broken line"
  it "an empty key is an error" $
    parseSettings " = 5" `shouldBe` Left "line 1:  = 5"
  it "an empty file is an empty map" $
    parseSettings "" `shouldBe` Right Map.empty
