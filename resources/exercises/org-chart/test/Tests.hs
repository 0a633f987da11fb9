import qualified Data.Map as Map
import Test.Hspec

import OrgChart

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  let chart = Map.fromList [("ceo", Nothing), ("cto", Just "ceo"), ("dev", Just "cto"),
                            ("ops", Just "cto"), ("temp", Just "agency")]
      loop = Map.fromList [("a", Just "b"), ("b", Just "a")]
  describe "managerOf" $ do
    it "a manager" $ managerOf chart "dev" `shouldBe` Just "cto"
    it "the top" $ managerOf chart "ceo" `shouldBe` Nothing
    it "a stranger" $ managerOf chart "nobody" `shouldBe` Nothing
  describe "chain" $ do
    it "to the top" $ chain chart "dev" `shouldBe` ["cto", "ceo"]
    it "of the top" $ chain chart "ceo" `shouldBe` []
    it "a manager outside the chart" $ chain chart "temp" `shouldBe` ["agency"]
    it "a loop" $ chain loop "a" `shouldBe` ["b"]
  describe "reports" $
    it "sorted" $ reports chart "cto" `shouldBe` ["dev", "ops"]
