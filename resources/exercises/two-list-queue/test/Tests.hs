import Data.List (foldl')
import Test.Hspec
import Test.QuickCheck (property)

import TwoListQueue

main :: IO ()
main = hspec specs

fromItems :: [Int] -> Queue Int
fromItems = foldl' (flip push) emptyQueue

drain :: Queue a -> [a]
drain q = maybe [] (\(x, rest) -> x : drain rest) (pop q)

specs :: Spec
specs = do
  it "an empty queue pops nothing" $ fmap fst (pop (emptyQueue :: Queue Int)) `shouldBe` Nothing
  it "one element" $ fmap fst (pop (push 'a' emptyQueue)) `shouldBe` Just 'a'
  it "oldest first" $ drain (fromItems [1, 2, 3]) `shouldBe` [1, 2, 3]
  it "size counts" $ size (fromItems [4, 5, 6, 7]) `shouldBe` 4
  it "toList matches a list model" $ property $ \xs -> toList (fromItems xs) == xs
  it "pushes after pops keep order" $ property $ \xs ys ->
    let q = maybe emptyQueue snd (pop (fromItems (0 : xs)))
    in drain (foldl' (flip push) q ys) == xs ++ ys
