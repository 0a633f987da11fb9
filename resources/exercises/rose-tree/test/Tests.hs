import Data.Foldable (toList)
import Test.Hspec

import RoseTree

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  let tree = Rose 1 [Rose 2 [Rose 4 []], Rose 3 [], Rose 5 [Rose 6 [Rose 7 []]]]
      lone = Rose 'x' []
  it "fmap" $ fmap (* 10) (Rose 1 [Rose 2 []]) `shouldBe` Rose 10 [Rose 20 []]
  it "pre-order" $ toList tree `shouldBe` [1, 2, 4, 3, 5, 6, 7]
  it "sum through Foldable" $ sum tree `shouldBe` 28
  it "depth of a lone node" $ depth lone `shouldBe` 1
  it "depth" $ depth tree `shouldBe` 4
  it "leaves" $ leaves tree `shouldBe` [4, 3, 7]
  it "a lone node is a leaf" $ leaves lone `shouldBe` "x"
