import Test.Hspec

import Inventory (emptyInventory, restock, sell, stockOf)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "inventory" $ do
  let shelf = restock "pear" 2 (restock "apple" 5 emptyInventory)
  it "an empty inventory has none of anything" $
    stockOf "apple" emptyInventory `shouldBe` 0
  it "restocking adds up" $
    stockOf "apple" (restock "apple" 3 shelf) `shouldBe` 8
  it "a sale removes units" $
    fmap (stockOf "apple") (sell "apple" 4 shelf) `shouldBe` Right 1
  it "selling everything leaves zero" $
    fmap (stockOf "pear") (sell "pear" 2 shelf) `shouldBe` Right 0
  it "an unknown item cannot be sold" $
    fmap (stockOf "plum") (sell "plum" 1 shelf) `shouldBe` Left "unknown item: plum"
  it "a sale larger than the stock is refused" $
    fmap (stockOf "pear") (sell "pear" 3 shelf) `shouldBe` Left "not enough pear"
  it "other items are untouched by a sale" $
    fmap (stockOf "pear") (sell "apple" 1 shelf) `shouldBe` Right 2
