import Test.Hspec
import Test.QuickCheck (property, NonNegative(..))

import DurationWords (formatDuration, parseDuration)

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "formatDuration" $ do
    it "zero" $ formatDuration 0 `shouldBe` Just "0s"
    it "seconds" $ formatDuration 59 `shouldBe` Just "59s"
    it "mixed" $ formatDuration 3725 `shouldBe` Just "1h 2m 5s"
    it "skips zero units" $ formatDuration 3600 `shouldBe` Just "1h"
    it "days" $ formatDuration 90061 `shouldBe` Just "1d 1h 1m 1s"
    it "negative" $ formatDuration (-1) `shouldBe` Nothing
  describe "parseDuration" $ do
    it "reads back" $ parseDuration "2h 30s" `shouldBe` Just 7230
    it "refuses order" $ parseDuration "30s 2h" `shouldBe` Nothing
    it "round trip" $ property $ \(NonNegative n) -> (formatDuration n >>= parseDuration) == Just n
