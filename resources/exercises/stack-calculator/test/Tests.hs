import Test.Hspec

import StackCalculator (evaluate)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "evaluate" $ do
  it "a number" $ evaluate "42" `shouldBe` Right 42
  it "addition" $ evaluate "1 2 +" `shouldBe` Right 3
  it "subtraction order" $ evaluate "10 4 -" `shouldBe` Right 6
  it "division order" $ evaluate "20 5 /" `shouldBe` Right 4
  it "nested" $ evaluate "2 3 4 * +" `shouldBe` Right 14
  it "negative literals" $ evaluate "-3 2 *" `shouldBe` Right (-6)
  it "underflow" $ evaluate "1 +" `shouldBe` Left "stack underflow"
  it "division by zero" $ evaluate "1 0 /" `shouldBe` Left "division by zero"
  it "bad token" $ evaluate "1 x +" `shouldBe` Left "bad token: x"
  it "empty" $ evaluate "   " `shouldBe` Left "empty expression"
  it "leftovers" $ evaluate "1 2" `shouldBe` Left "leftover values"
