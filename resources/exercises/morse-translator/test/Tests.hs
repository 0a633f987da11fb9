import Test.Hspec

import MorseTranslator (encode, decode)

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "encode" $ do
    it "one letter" $ encode "e" `shouldBe` Just "."
    it "a word" $ encode "SOS" `shouldBe` Just "... --- ..."
    it "two words" $ encode "hi 5" `shouldBe` Just ".... .. / ....."
    it "punctuation" $ encode "hi!" `shouldBe` Nothing
  describe "decode" $ do
    it "a word" $ decode "-- --- .-. ... ." `shouldBe` Just "MORSE"
    it "two words" $ decode ".... .. / ....." `shouldBe` Just "HI 5"
    it "unknown code" $ decode "......." `shouldBe` Nothing
    it "round trip" $ (encode "the 3 owls" >>= decode) `shouldBe` Just "THE 3 OWLS"
