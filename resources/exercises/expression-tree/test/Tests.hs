import qualified Data.Map as Map
import Test.Hspec

import ExpressionTree

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  let env = Map.fromList [("x", 3), ("y", -2)]
  describe "eval" $ do
    it "literal" $ eval env (Lit 7) `shouldBe` Just 7
    it "variables" $ eval env (Add (Var "x") (Mul (Var "y") (Lit 4))) `shouldBe` Just (-5)
    it "negation" $ eval env (Neg (Var "x")) `shouldBe` Just (-3)
    it "unbound variable" $ eval env (Add (Var "z") (Lit 1)) `shouldBe` Nothing
  describe "simplify" $ do
    it "adding zero" $ simplify (Add (Lit 0) (Var "x")) `shouldBe` Var "x"
    it "times zero" $ simplify (Mul (Var "x") (Lit 0)) `shouldBe` Lit 0
    it "double negation" $ simplify (Neg (Neg (Var "y"))) `shouldBe` Var "y"
    it "folds constants bottom-up" $
      simplify (Mul (Add (Lit 1) (Lit (-1))) (Var "x")) `shouldBe` Lit 0
    it "leaves the rest" $ simplify (Add (Var "x") (Var "y")) `shouldBe` Add (Var "x") (Var "y")
  describe "variables" $
    it "sorted, once each" $ variables (Add (Var "y") (Mul (Var "x") (Var "y"))) `shouldBe` ["x", "y"]
