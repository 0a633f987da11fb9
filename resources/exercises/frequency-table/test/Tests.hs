import qualified Data.Map as Map
import Test.Hspec
import Test.QuickCheck (property)

import FrequencyTable (frequencies, mostCommon, atLeast)

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "frequencies" $ do
    it "counts" $ frequencies "banana" `shouldBe` Map.fromList [('a', 3), ('b', 1), ('n', 2)]
    it "sums to the length" $ property $ \xs -> sum (frequencies (xs :: [Int])) == length xs
  describe "mostCommon" $ do
    it "the clear winner" $ mostCommon "banana" `shouldBe` Just 'a'
    it "a tie goes to the smallest" $ mostCommon [3, 1, 3, 1, 2 :: Int] `shouldBe` Just 1
    it "nothing in nothing" $ mostCommon ([] :: [Int]) `shouldBe` Nothing
  describe "atLeast" $ do
    it "twice or more" $ atLeast 2 "mississippi" `shouldBe` "ips"
    it "more than anything occurs" $ atLeast 9 "abc" `shouldBe` ""
