import Test.Hspec

import Shapes

main :: IO ()
main = hspec specs

near :: Double -> Double -> Bool
near a b = abs (a - b) < 1e-9

specs :: Spec
specs = do
  describe "area" $ do
    it "circle" $ area (Circle 1) `shouldSatisfy` near pi
    it "rectangle" $ area (Rectangle 3 4) `shouldSatisfy` near 12
    it "triangle by Heron" $ area (Triangle 3 4 5) `shouldSatisfy` near 6
  describe "perimeter" $ do
    it "circle" $ perimeter (Circle 2) `shouldSatisfy` near (4 * pi)
    it "rectangle" $ perimeter (Rectangle 3 4) `shouldSatisfy` near 14
    it "triangle" $ perimeter (Triangle 3 4 5) `shouldSatisfy` near 12
  describe "collections" $ do
    it "total area" $ totalArea [Rectangle 1 2, Rectangle 3 1] `shouldSatisfy` near 5
    it "largest" $ largest [Rectangle 1 1, Rectangle 2 3, Rectangle 3 2] `shouldBe` Just (Rectangle 2 3)
    it "largest of none" $ largest ([] :: [Circle]) `shouldBe` Nothing
