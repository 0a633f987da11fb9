import Test.Hspec
import Test.QuickCheck (property)

import RunningBalance (balances, lowestBalance, maxDrawdown)

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  describe "balances" $ do
    it "no transactions" $ balances [] `shouldBe` []
    it "running sums" $ balances [5, -2, 10] `shouldBe` [5, 3, 13]
    it "the last balance is the sum" $ property $ \txs ->
      (if null txs then 0 else last (balances txs)) == sum (txs :: [Integer])
  describe "lowestBalance" $ do
    it "counts the start" $ lowestBalance [3, 4] `shouldBe` 0
    it "finds the dip" $ lowestBalance [3, -5, 10] `shouldBe` (-2)
  describe "maxDrawdown" $ do
    it "never falling" $ maxDrawdown [1, 2, 3] `shouldBe` 0
    it "from the peak" $ maxDrawdown [10, -3, 5, -8, 1] `shouldBe` 8
    it "from the start" $ maxDrawdown [-4, 1] `shouldBe` 4
    it "never negative" $ property $ \txs -> maxDrawdown txs >= 0
