import Test.Hspec

import PathNormalize (normalize)

main :: IO ()
main = hspec specs

specs :: Spec
specs = describe "normalize" $ do
  it "already normal" $ normalize "/usr/lib" `shouldBe` "/usr/lib"
  it "dots" $ normalize "/a/./b/../c" `shouldBe` "/a/c"
  it "repeated slashes and trailing slash" $ normalize "a//b/" `shouldBe` "a/b"
  it "above the root" $ normalize "/../x" `shouldBe` "/x"
  it "the root" $ normalize "/a/.." `shouldBe` "/"
  it "leading parents kept" $ normalize "../../a/../b" `shouldBe` "../../b"
  it "empty relative" $ normalize "a/.." `shouldBe` "."
