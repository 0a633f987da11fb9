import Test.Hspec
import Test.QuickCheck (property, Positive(..))

import TextWrap (wrap)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "wrap" $ do
  it "fits on one line" $ wrap 20 "the quick fox" `shouldBe` ["the quick fox"]
  it "greedy" $ wrap 10 "the quick brown fox jumps" `shouldBe` ["the quick", "brown fox", "jumps"]
  it "exact fit" $ wrap 9 "the quick brown" `shouldBe` ["the quick", "brown"]
  it "the space counts" $ wrap 6 "abc def" `shouldBe` ["abc", "def"]
  it "long word alone" $ wrap 4 "a elephant b" `shouldBe` ["a", "elephant", "b"]
  it "collapses whitespace" $ wrap 80 "  a \n\t b  " `shouldBe` ["a b"]
  it "no words" $ wrap 5 "   " `shouldBe` []
  it "keeps every word in order" $ property $ \(Positive w) s -> words (unwords (wrap w s)) == words s
