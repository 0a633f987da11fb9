import Data.List (foldl')
import Data.Maybe (isNothing)
import Test.Hspec
import Test.QuickCheck (property, Positive(..))

import RingBuffer

main :: IO ()
main = hspec specs

filled :: Int -> [Int] -> Maybe [Int]
filled n xs = contents . (\b -> foldl' (flip push) b xs) <$> newBuffer n

specs :: Spec
specs = do
  it "no capacity" $ isNothing (newBuffer 0 :: Maybe (Buffer Int)) `shouldBe` True
  it "empty" $ filled 3 [] `shouldBe` Just []
  it "under capacity" $ filled 3 [1, 2] `shouldBe` Just [1, 2]
  it "overwrites the oldest" $ filled 3 [1, 2, 3, 4, 5] `shouldBe` Just [3, 4, 5]
  it "size" $ fmap (size . push 'a' . push 'b') (newBuffer 1) `shouldBe` Just 1
  it "matches the model" $ property $ \(Positive n) xs ->
    filled n xs == Just (reverse (take n (reverse xs)))
