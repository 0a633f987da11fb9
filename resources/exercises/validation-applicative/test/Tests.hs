import Test.Hspec

import Validation

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  it "fmap over success" $ fmap (+ 1) (Success 1 :: Validation [String] Int) `shouldBe` Success 2
  it "fmap over failure" $ fmap (+ 1) (Failure ["x"] :: Validation [String] Int) `shouldBe` Failure ["x"]
  it "both succeed" $ ((,) <$> Success 1 <*> Success 'a' :: Validation [String] (Int, Char)) `shouldBe` Success (1, 'a')
  it "errors accumulate" $
    ((,) <$> Failure ["a"] <*> Failure ["b"] :: Validation [String] (Int, Int)) `shouldBe` Failure ["a", "b"]
  it "a valid user" $ validateUser "Ada" 36 `shouldBe` Success (User "Ada" 36)
  it "one error" $ validateUser "" 36 `shouldBe` Failure ["empty name"]
  it "both errors, name first" $ validateUser "" 200 `shouldBe` Failure ["empty name", "bad age"]
