import Test.Hspec
import Test.QuickCheck (property, Positive(..))

import MovingAverage (movingAverage)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "movingAverage" $ do
  it "window of one" $ movingAverage 1 [1, 2, 3] `shouldBe` Just [1, 2, 3]
  it "window of two" $ movingAverage 2 [1, 3, 5, 7] `shouldBe` Just [2, 4, 6]
  it "window of the whole list" $ movingAverage 3 [3, 3, 6] `shouldBe` Just [4]
  it "list too short" $ movingAverage 4 [1, 2] `shouldBe` Just []
  it "zero window" $ movingAverage 0 [1] `shouldBe` Nothing
  it "length" $ property $ \(Positive k) xs ->
    fmap length (movingAverage k xs) == Just (max 0 (length xs - k + 1))
