import Test.Hspec

import JsonString (quote)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "quote" $ do
  it "plain" $ quote "abc" `shouldBe` "\"abc\""
  it "empty" $ quote "" `shouldBe` "\"\""
  it "double quote" $ quote "say \"hi\"" `shouldBe` "\"say \\\"hi\\\"\""
  it "backslash" $ quote "a\\b" `shouldBe` "\"a\\\\b\""
  it "newline and tab" $ quote "a\nb\tc" `shouldBe` "\"a\\nb\\tc\""
  it "other control characters" $ quote "\1\31" `shouldBe` "\"\\u0001\\u001f\""
  it "non-ASCII stays" $ quote "caf\233" `shouldBe` "\"caf\233\""
