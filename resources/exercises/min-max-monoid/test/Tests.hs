import Test.Hspec
import Test.QuickCheck (property)

import MinMaxMonoid

main :: IO ()
main = hspec specs

fromList :: [Int] -> MinMax
fromList = foldMap single

specs :: Spec
specs = do
  it "empty range" $ range [] `shouldBe` Nothing
  it "one value" $ range [4] `shouldBe` Just (4, 4)
  it "several" $ range [3, -1, 8, 2] `shouldBe` Just (-1, 8)
  it "mempty is neutral" $ property $ \xs -> (fromList xs <> mempty) == fromList xs
  it "associative" $ property $ \a b c ->
    (fromList a <> fromList b) <> fromList c == fromList a <> (fromList b <> fromList c)
  it "matches minimum and maximum" $ property $ \xs ->
    range xs == (if null xs then Nothing else Just (minimum xs, maximum xs))
