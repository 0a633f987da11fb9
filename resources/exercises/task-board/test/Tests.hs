import Test.Hspec

import TaskBoard

main :: IO ()
main = hspec specs

specs :: Spec
specs = do
  let write = Task "write" 2 False
      test = Task "test" 3 True
      ship = Task "ship" 3 False
      rest = Task "rest" 1 False
      board = [write, test, ship, rest]
  it "openTasks keeps order" $ openTasks board `shouldBe` ["write", "ship", "rest"]
  it "highest priority first, ties by title" $
    map title (byPriority board) `shouldBe` ["ship", "test", "write", "rest"]
  it "sorting nothing" $ byPriority [] `shouldBe` []
  it "complete marks done" $
    fmap openTasks (complete "ship" board) `shouldBe` Right ["write", "rest"]
  it "complete an unknown task" $ complete "nap" board `shouldBe` Left "no task: nap"
