import Test.Hspec

import SparseVector

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  let u = fromList [(0, 1), (5, 2), (9, 3)]
      v = fromList [(5, -2), (7, 4)]
  it "drops zeros and adds repeats" $ toList (fromList [(3, 0), (1, 2), (1, 3)]) `shouldBe` [(1, 5)]
  it "add" $ toList (add u v) `shouldBe` [(0, 1), (7, 4), (9, 3)]
  it "scale" $ toList (scale 3 v) `shouldBe` [(5, -6), (7, 12)]
  it "scale by zero" $ toList (scale 0 u) `shouldBe` []
  it "dot" $ dot u v `shouldBe` (-4)
  it "dot with nothing shared" $ dot (fromList [(1, 5)]) (fromList [(2, 5)]) `shouldBe` 0
  it "equal vectors" $ add u (scale (-1) u) `shouldBe` fromList []
