import Test.Hspec

import EmailCheck

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "check" $ do
  it "valid" $ check "ada@example.org" `shouldBe` Right ("ada", "example.org")
  it "hyphen and digits in the domain" $ check "x@mail-1.co.uk" `shouldBe` Right ("x", "mail-1.co.uk")
  it "no at" $ check "ada.example.org" `shouldBe` Left MissingAt
  it "two ats" $ check "a@b@c.org" `shouldBe` Left SeveralAts
  it "empty local part" $ check "@example.org" `shouldBe` Left EmptyLocal
  it "one label" $ check "ada@localhost" `shouldBe` Left BadDomain
  it "empty label" $ check "ada@example..org" `shouldBe` Left BadDomain
  it "bad character" $ check "ada@exa_mple.org" `shouldBe` Left BadDomain
