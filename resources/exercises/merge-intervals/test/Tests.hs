import Test.Hspec

import MergeIntervals (merge, covered)

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "merge" $ do
    it "nothing" $ merge [] `shouldBe` []
    it "disjoint, sorted" $ merge [(5, 6), (1, 2)] `shouldBe` [(1, 2), (5, 6)]
    it "overlapping" $ merge [(1, 4), (2, 6)] `shouldBe` [(1, 6)]
    it "touching" $ merge [(3, 5), (1, 3)] `shouldBe` [(1, 5)]
    it "adjacent but not touching" $ merge [(1, 3), (4, 5)] `shouldBe` [(1, 3), (4, 5)]
    it "contained" $ merge [(1, 10), (2, 3), (4, 5)] `shouldBe` [(1, 10)]
  describe "covered" $ do
    it "counts integers once" $ covered [(1, 4), (3, 6)] `shouldBe` 6
    it "single points" $ covered [(2, 2), (7, 7)] `shouldBe` 2
