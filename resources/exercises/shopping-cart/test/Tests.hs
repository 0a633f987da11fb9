import Test.Hspec

import ShoppingCart

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  let cart = [Line "tea" 450 2, Line "mug" 1299 1]
  it "subtotal" $ subtotal cart `shouldBe` 2199
  it "empty cart" $ subtotal [] `shouldBe` 0
  it "ten percent, discount rounded down" $ applyCode "TENOFF" 2199 `shouldBe` Right 1980
  it "five off" $ applyCode "FIVE" 2199 `shouldBe` Right 1699
  it "five off a small total" $ applyCode "FIVE" 300 `shouldBe` Right 0
  it "unknown code" $ applyCode "FREE" 100 `shouldBe` Left "unknown code: FREE"
  it "codes in order" $ total ["FIVE", "TENOFF"] cart `shouldBe` Right 1530
  it "first unknown code" $ total ["TENOFF", "X", "Y"] cart `shouldBe` Left "unknown code: X"
