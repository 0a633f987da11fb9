import Test.Hspec
import Test.QuickCheck (property, NonNegative(..))

import DigitPersistence

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  it "digit sum" $ digitSum 9875 `shouldBe` Just 29
  it "digit sum of zero" $ digitSum 0 `shouldBe` Just 0
  it "negative" $ digitSum (-5) `shouldBe` Nothing
  it "digital root" $ digitalRoot 9875 `shouldBe` Just 2
  it "persistence of one digit" $ persistence 7 `shouldBe` Just 0
  it "persistence" $ persistence 9875 `shouldBe` Just 3
  it "persistence of 199" $ persistence 199 `shouldBe` Just 3
  it "root is n mod 9 rule" $ property $ \(NonNegative n) ->
    digitalRoot n == Just (if n == 0 then 0 else 1 + (n - 1) `mod` 9)
