import Test.Hspec

import DivisionChain (divideAll, divideEach)

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "divideAll" $ do
    it "no divisors leaves the start" $ divideAll 7 [] `shouldBe` Just 7
    it "divides left to right" $ divideAll 100 [2, 5] `shouldBe` Just 10
    it "rounds toward negative infinity" $ divideAll (-7) [2] `shouldBe` Just (-4)
    it "a zero divisor fails the chain" $ divideAll 100 [2, 0, 5] `shouldBe` Nothing
    it "a zero start is fine" $ divideAll 0 [3] `shouldBe` Just 0
  describe "divideEach" $ do
    it "skips the zero divisors" $ divideEach 12 [3, 0, 4] `shouldBe` [4, 3]
    it "keeps the order" $ divideEach 20 [10, 2, 5] `shouldBe` [2, 10, 4]
