import Test.Hspec

import CsvLine (fields)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "fields" $ do
  it "plain fields" $ fields "a,b,c" `shouldBe` Right ["a", "b", "c"]
  it "empty fields" $ fields "a,,c," `shouldBe` Right ["a", "", "c", ""]
  it "an empty line" $ fields "" `shouldBe` Right [""]
  it "quoted comma" $ fields "\"x,y\",z" `shouldBe` Right ["x,y", "z"]
  it "doubled quotes" $ fields "\"say \"\"hi\"\"\"" `shouldBe` Right ["say \"hi\""]
  it "unclosed quote" $ fields "\"abc" `shouldBe` Left "malformed"
  it "text after the quote" $ fields "\"a\"b,c" `shouldBe` Left "malformed"
