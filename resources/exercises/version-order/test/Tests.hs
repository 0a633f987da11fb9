import Test.Hspec

import VersionOrder

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "parseVersion" $ do
    it "three numbers" $ parseVersion "1.2.3" `shouldBe` Just (Version 1 2 3)
    it "two parts" $ parseVersion "1.2" `shouldBe` Nothing
    it "four parts" $ parseVersion "1.2.3.4" `shouldBe` Nothing
    it "letters" $ parseVersion "1.x.3" `shouldBe` Nothing
    it "empty part" $ parseVersion "1..3" `shouldBe` Nothing
  describe "ordering" $
    it "numeric, not textual" $ ((>) <$> parseVersion "1.10.0" <*> parseVersion "1.9.9") `shouldBe` Just True
  describe "bumpMinor" $
    it "resets patch" $ bumpMinor (Version 2 4 7) `shouldBe` Version 2 5 0
  describe "newest" $ do
    it "numeric order" $ newest ["1.9.9", "1.10.0", "1.2.30"] `shouldBe` Just (Version 1 10 0)
    it "skips junk" $ newest ["junk", "0.0.1"] `shouldBe` Just (Version 0 0 1)
    it "none parse" $ newest ["a"] `shouldBe` Nothing
