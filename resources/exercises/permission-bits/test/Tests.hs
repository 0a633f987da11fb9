import Test.Hspec

import PermissionBits

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  it "toBits" $ toBits [Read, Execute] `shouldBe` 5
  it "toBits counts once" $ toBits [Write, Write] `shouldBe` 2
  it "fromBits" $ fromBits 6 `shouldBe` Just [Read, Write]
  it "fromBits out of range" $ fromBits 8 `shouldBe` Nothing
  it "render" $ render 5 `shouldBe` Just "r-x"
  it "render none" $ render 0 `shouldBe` Just "---"
  it "renderMode" $ renderMode "754" `shouldBe` Just "rwxr-xr--"
  it "renderMode refuses 8" $ renderMode "758" `shouldBe` Nothing
  it "renderMode refuses two digits" $ renderMode "75" `shouldBe` Nothing
