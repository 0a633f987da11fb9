import Test.Hspec

import Gradebook

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  let ada = Student "Ada" [95, 90, 100]
      bob = Student "Bob" [80, 70]
      cy = Student "Cy" []
      di = Student "Di" [90]
  describe "average" $ do
    it "of scores" $ average bob `shouldBe` Just 75
    it "of nothing" $ average cy `shouldBe` Nothing
  describe "letter" $ do
    it "A at 90 exactly" $ letter 90 `shouldBe` 'A'
    it "B just under 90" $ letter 89.9 `shouldBe` 'B'
    it "D at 60" $ letter 60 `shouldBe` 'D'
    it "F below 60" $ letter 12 `shouldBe` 'F'
  describe "honourRoll" $
    it "keeps order, includes 90" $ honourRoll [bob, ada, cy, di] `shouldBe` ["Ada", "Di"]
  describe "report" $ do
    it "with a letter" $ report bob `shouldBe` "Bob: C"
    it "without scores" $ report cy `shouldBe` "Cy: no scores"
