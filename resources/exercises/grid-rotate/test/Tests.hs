import Control.Monad ((>=>))
import Test.Hspec
import Test.QuickCheck (property)

import GridRotate (transposeGrid, rotateRight)

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "transposeGrid" $ do
    it "rectangle" $ transposeGrid ["abc", "def"] `shouldBe` Just ["ad", "be", "cf"]
    it "ragged" $ transposeGrid ["ab", "c"] `shouldBe` Nothing
    it "empty" $ transposeGrid ([] :: [String]) `shouldBe` Just []
  describe "rotateRight" $ do
    it "a row becomes a column" $ rotateRight ["abc"] `shouldBe` Just ["a", "b", "c"]
    it "clockwise" $ rotateRight ["ab", "cd"] `shouldBe` Just ["ca", "db"]
    it "ragged" $ rotateRight ["ab", "c"] `shouldBe` Nothing
    it "four turns are none" $ property $ \n ->
      let grid = replicate (n `mod` 4 + 1) [1 .. n `mod` 5 + 1 :: Int]
      in (rotateRight >=> rotateRight >=> rotateRight >=> rotateRight) grid == Just grid
