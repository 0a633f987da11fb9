"""Write resources/sample/stackexchange/Posts.xml: an original StackExchange Posts.xml in the real
dump format (one `<row>` per line, HTML bodies, `<tag>` lists, ContentLicense), with Haskell
questions and answers written for this project, plus the rows a reader must filter: non-Haskell
questions, low scores, a closed question, a community wiki, tag-wiki rows (PostTypeId 4 and 5) and
rows without ContentLicense (older dumps), dated 2009-2023 so all three CC BY-SA eras appear.

Also writes compiling_answers.json: the answer ids whose code blocks, concatenated, form a module
that must pass `ghc -fno-code` (tests/sources/test_sample_compiles.py checks them).

Run: python resources/sample/make_stackexchange_sample.py
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

OUT = Path(__file__).resolve().parent / "stackexchange"


def P(text: str) -> str:
    """A paragraph; `backticks` become <code>."""
    return "<p>" + re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False)) + "</p>"


def C(code: str) -> str:
    return "<pre><code>" + html.escape(code.strip("\n") + "\n", quote=False) + "</code></pre>"


def body(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def A(score, body_html, accepted=False, compiles=False, hours=3, license=True):
    return dict(score=score, body=body_html, accepted=accepted, compiles=compiles, hours=hours,
                license=license)


def Q(title, tags, score, date, body_html, answers, closed=False, wiki=False, views=None,
      license=True):
    return dict(title=title, tags=tags, score=score, date=date, body=body_html, answers=answers,
                closed=closed, wiki=wiki, views=views, license=license)


QUESTIONS = [
    Q("Why does foldl blow the stack when summing a big list?", ["haskell", "fold", "lazy-evaluation"], 42, "2009-06-14T08:12:40.113",
      body(P("I sum a million numbers with `foldl (+) 0 [1..1000000]` and GHCi runs out of stack. `foldr` does the same. How do I sum a long list in constant space?")),
      [A(57, body(P("`foldl` is lazy in the accumulator, so it builds a chain of a million thunks `(((0+1)+2)+3)...` before anything is added. Use the strict left fold from `Data.List`, which forces the accumulator at every step:"),
                  C("import Data.List (foldl')\n\nsumStrict :: [Integer] -> Integer\nsumStrict = foldl' (+) 0\n\nmain :: IO ()\nmain = print (sumStrict [1 .. 1000000])"),
                  P("With optimisation GHC's strictness analysis often rescues plain `foldl`, but do not rely on it in GHCi.")), accepted=True, compiles=True),
       A(9, body(P("`sum` from the Prelude is defined with a strict fold since base 4.16, so on a recent GHC `sum [1..1000000]` is fine as well.")))]),
    Q("How do I read an Int from standard input?", ["haskell", "io"], 15, "2009-09-02T17:45:01.020",
      body(P("In C I would use `scanf`. What is the Haskell way to read one number from a line typed by the user?")),
      [A(31, body(P("Read the line and parse it with `read`, which works for any type with a `Read` instance:"),
                  C("main :: IO ()\nmain = do\n  n <- readLn :: IO Int\n  print (n * 2)"),
                  P("`readLn` is `getLine >>= readIO`; it throws an IO error on bad input. Use `Text.Read.readMaybe` if you want to handle that yourself.")), accepted=True, compiles=True),
       A(6, body(P("For several numbers on one line:"), C("main :: IO ()\nmain = do\n  xs <- map read . words <$> getLine :: IO [Int]\n  print (sum xs)")), compiles=True)]),
    Q("Counting word frequencies with Data.Map", ["haskell", "dictionary", "containers"], 23, "2010-02-11T11:03:22.500",
      body(P("I want a map from each word in a text to the number of times it occurs. My version with `Map.insert` and `Map.lookup` in a fold is long. Is there something shorter?")),
      [A(40, body(P("`fromListWith` combines the values of duplicate keys:"),
                  C("import qualified Data.Map.Strict as Map\nimport Data.Char (toLower, isAlpha)\n\nwordFreq :: String -> Map.Map String Int\nwordFreq = Map.fromListWith (+) . map (\\w -> (w, 1)) . words . map normalise\n  where\n    normalise c = if isAlpha c then toLower c else ' '\n\nmain :: IO ()\nmain = print (Map.toList (wordFreq \"the cat and the hat\"))"),
                  P("Use `Data.Map.Strict` so the counts are evaluated as they are inserted.")), accepted=True, compiles=True),
       A(3, body(P("You can also `group . sort` the words and take the lengths, but that is O(n log n) with a bigger constant.")))]),
    Q("Keeping a counter in the State monad", ["haskell", "state-monad", "monads"], 18, "2010-05-30T21:14:09.877",
      body(P("I want to label every leaf of a tree with a fresh number. Passing the counter around by hand works but is ugly. How do I do it with `State`?"),
           C("data Tree a = Leaf a | Node (Tree a) (Tree a)")),
      [A(35, body(P("`traverse`-style recursion in `State Int` does exactly that; `get` and `put` read and bump the counter:"),
                  C("import Control.Monad.State\n\ndata Tree a = Leaf a | Node (Tree a) (Tree a)\n  deriving Show\n\nfresh :: State Int Int\nfresh = do\n  n <- get\n  put (n + 1)\n  return n\n\nlabel :: Tree a -> State Int (Tree (Int, a))\nlabel (Leaf x) = do\n  n <- fresh\n  return (Leaf (n, x))\nlabel (Node l r) = Node <$> label l <*> label r\n\nlabelTree :: Tree a -> Tree (Int, a)\nlabelTree t = evalState (label t) 0"),
                  P("If you derive `Traversable` for the tree, `label` is just `traverse (\\x -> (\\n -> (n, x)) <$> fresh)`.")), accepted=True, compiles=True),
       A(7, body(P("`fresh` can be written as `state (\\n -> (n, n + 1))`.")), compiles=False)]),
    Q("Passing configuration down without threading arguments", ["haskell", "reader-monad"], 12, "2011-01-19T09:30:55.310",
      body(P("Half of my functions take a `Config` argument only to hand it to other functions. Is `Reader` the answer, and what does it look like?")),
      [A(22, body(P("Yes. `asks` projects a field out of the environment and `local` runs a sub-computation with a modified one:"),
                  C("import Control.Monad.Reader\n\ndata Config = Config { verbose :: Bool, indent :: Int }\n\nrender :: String -> Reader Config String\nrender msg = do\n  n <- asks indent\n  return (replicate n ' ' ++ msg)\n\nrenderAll :: [String] -> Reader Config [String]\nrenderAll msgs = do\n  v <- asks verbose\n  let shown = if v then msgs else take 1 msgs\n  local (\\c -> c { indent = indent c + 2 }) (mapM render shown)\n\nmain :: IO ()\nmain = mapM_ putStrLn (runReader (renderAll [\"a\", \"b\"]) (Config True 0))")), accepted=True, compiles=True)]),
    Q("Writing a Functor instance for a binary tree", ["haskell", "functor", "typeclass"], 9, "2011-03-03T14:00:12.000",
      body(P("I get a kind error when I write `instance Functor (Tree a)`. What is the right way?")),
      [A(19, body(P("`Functor` expects a type constructor of kind `* -> *`, so the instance is for `Tree`, not `Tree a`:"),
                  C("data Tree a = Leaf | Node (Tree a) a (Tree a)\n\ninstance Functor Tree where\n  fmap _ Leaf = Leaf\n  fmap f (Node l x r) = Node (fmap f l) (f x) (fmap f r)"),
                  P("With `{-# LANGUAGE DeriveFunctor #-}` you can simply write `deriving Functor`.")), accepted=True, compiles=True, license=False),
       A(4, body(P("Remember the laws: `fmap id == id` and `fmap (f . g) == fmap f . fmap g`. The derived instance satisfies both.")), license=False)], license=False),
    Q("Foldable instance: foldMap or foldr?", ["haskell", "foldable"], 7, "2011-08-21T16:40:33.717",
      body(P("The docs say the minimal definition of `Foldable` is `foldMap | foldr`. Which one should I write for my tree?")),
      [A(14, body(P("`foldMap` is usually the more natural one for trees because you just combine the parts in order:"),
                  C("data Tree a = Leaf | Node (Tree a) a (Tree a)\n\ninstance Foldable Tree where\n  foldMap _ Leaf = mempty\n  foldMap f (Node l x r) = foldMap f l <> f x <> foldMap f r\n\nsize :: Tree a -> Int\nsize = length"),
                  P("You then get `sum`, `length`, `elem`, `toList` and `maximum` for free.")), accepted=True, compiles=True)]),
    Q("What is the difference between newtype and data with one constructor?", ["haskell", "newtype"], 55, "2012-03-04T10:11:12.345",
      body(P("`newtype Age = Age Int` and `data Age = Age Int` seem to do the same thing. When does it matter?")),
      [A(81, body(P("Two differences. A `newtype` has no runtime representation: `Age 3` is stored as the `Int` itself. And pattern matching on a newtype never forces anything, because there is no box:"),
                  C("newtype N = N Int\ndata D = D Int\n\nfromN :: N -> Int\nfromN (N _) = 1\n\nfromD :: D -> Int\nfromD (D _) = 1\n\n-- fromN undefined == 1, but fromD undefined diverges"),
                  P("So `newtype` is what you want for wrappers that exist only to pick an instance or to stop you mixing up units.")), accepted=True, compiles=True),
       A(12, body(P("A `newtype` can also use `GeneralizedNewtypeDeriving` to reuse the wrapped type's instances, which a `data` type cannot.")))]),
    Q("Record update syntax changes only one field?", ["haskell", "records"], 5, "2012-07-16T12:12:12.120",
      body(P("Given a record with ten fields, do I really have to copy all of them to change one?")),
      [A(13, body(P("No, record update syntax copies the rest for you:"),
                  C("data Player = Player\n  { name  :: String\n  , score :: Int\n  , level :: Int\n  } deriving Show\n\nlevelUp :: Player -> Player\nlevelUp p = p { level = level p + 1, score = 0 }")), accepted=True, compiles=True),
       A(2, body(P("For nested records look at lenses; plain update syntax gets clumsy at depth three.")))]),
    Q("Splitting a Text into words and counting them", ["haskell", "text"], 8, "2012-11-05T07:08:09.654",
      body(P("I switched from `String` to `Data.Text`. How do I split on whitespace and how do I turn a `Text` back into a `String`?")),
      [A(16, body(P("`Data.Text` has its own `words`, and `pack`/`unpack` convert. Import it qualified to avoid clashes with the Prelude:"),
                  C("{-# LANGUAGE OverloadedStrings #-}\nimport qualified Data.Text as T\nimport qualified Data.Text.IO as TIO\n\nwordCount :: T.Text -> Int\nwordCount = length . T.words\n\nmain :: IO ()\nmain = do\n  let t = \"  hello   lazy world \"\n  print (wordCount t)\n  TIO.putStrLn (T.toUpper (T.strip t))\n  putStrLn (T.unpack (T.replace \"lazy\" \"strict\" t))")), accepted=True, compiles=True)]),
    Q("Fast line-by-line reading of a big file", ["haskell", "bytestring", "performance"], 11, "2013-04-18T19:22:41.003",
      body(P("`lines <$> readFile` is very slow on a 2 GB log. What should I use instead?")),
      [A(20, body(P("Strict or lazy `ByteString` reading is far faster than `String`. For a file that does not fit in memory, the lazy variant streams it in chunks:"),
                  C("import qualified Data.ByteString.Lazy.Char8 as BL\n\ncountErrors :: BL.ByteString -> Int\ncountErrors = length . filter (BL.isPrefixOf (BL.pack \"ERROR\")) . BL.lines\n\nmain :: IO ()\nmain = BL.readFile \"app.log\" >>= print . countErrors")), accepted=True, compiles=True),
       A(5, body(P("If the lines are UTF-8 text you care about, decode with `Data.Text.Encoding.decodeUtf8` after splitting.")))]),
    Q("Validating a list of inputs with Either", ["haskell", "either", "error-handling"], 14, "2013-08-09T13:31:00.900",
      body(P("I parse a list of strings into numbers and want the first error if any fails. Right now I pattern match on a list of `Either` by hand.")),
      [A(26, body(P("`traverse` (or `mapM`) over `Either` stops at the first `Left`:"),
                  C("import Text.Read (readMaybe)\n\nparseAge :: String -> Either String Int\nparseAge s = case readMaybe s of\n  Just n | n >= 0 -> Right n\n  Just _ -> Left (\"negative age: \" ++ s)\n  Nothing -> Left (\"not a number: \" ++ s)\n\nparseAll :: [String] -> Either String [Int]\nparseAll = traverse parseAge"),
                  P("`parseAll [\"3\", \"x\", \"-1\"]` is `Left \"not a number: x\"`.")), accepted=True, compiles=True),
       A(8, body(P("If you want all errors, not just the first, collect them with `partitionEithers` from `Data.Either`.")))]),
    Q("mapM_ or forM_?", ["haskell", "monads"], 4, "2013-12-01T22:10:10.100",
      body(P("Is there any difference between `mapM_` and `forM_` besides argument order?")),
      [A(10, body(P("No, `forM_ = flip mapM_`. `forM_` reads better when the loop body is a long lambda:"),
                  C("import Control.Monad (forM_)\n\nmain :: IO ()\nmain = forM_ [1 :: Int .. 3] $ \\i -> do\n  putStr \"line \"\n  print i")), accepted=True, compiles=True)]),
    Q("Generating Fibonacci numbers as an infinite list", ["haskell", "lazy-evaluation", "fibonacci"], 33, "2014-02-14T15:15:15.150",
      body(P("I have seen a one-line definition of all Fibonacci numbers with `zipWith`. How does it work without looping forever?")),
      [A(48, body(P("The list is defined in terms of itself; laziness means each element is computed only when demanded, from the two before it:"),
                  C("fibs :: [Integer]\nfibs = 0 : 1 : zipWith (+) fibs (tail fibs)\n\nmain :: IO ()\nmain = print (take 10 fibs)"),
                  P("`take 10 fibs` forces only ten cells, so it terminates.")), accepted=True, compiles=True),
       A(6, body(P("An equivalent with `scanl`:"), C("fibs :: [Integer]\nfibs = 0 : scanl (+) 1 fibs")), compiles=True)]),
    Q("Is the classic two-line prime sieve really a sieve?", ["haskell", "primes"], 21, "2014-06-30T06:06:06.600",
      body(P("`primes = sieve [2..] where sieve (p:xs) = p : sieve [x | x <- xs, x `mod` p /= 0]` is very slow. Why?")),
      [A(37, body(P("It is trial division, not Eratosthenes: every number is tested against every smaller prime. Testing only primes up to the square root is already much faster:"),
                  C("primes :: [Int]\nprimes = 2 : filter isPrime [3, 5 ..]\n\nisPrime :: Int -> Bool\nisPrime n = all (\\p -> n `mod` p /= 0) (takeWhile (\\p -> p * p <= n) primes)"),
                  P("For a true sieve over a bounded range, use an unboxed array (`Data.Array.ST`).")), accepted=True, compiles=True)]),
    Q("Memoising a dynamic programme with Data.Array", ["haskell", "dynamic-programming", "arrays"], 17, "2015-01-12T10:20:30.400",
      body(P("How do I write the longest common subsequence in Haskell without exponential time?")),
      [A(29, body(P("Define a lazy array whose elements refer to other elements; each cell is computed once:"),
                  C("import Data.Array\n\nlcsLength :: String -> String -> Int\nlcsLength xs ys = table ! (0, 0)\n  where\n    n = length xs\n    m = length ys\n    xa = listArray (0, n - 1) xs\n    ya = listArray (0, m - 1) ys\n    table = array ((0, 0), (n, m))\n      [((i, j), cell i j) | i <- [0 .. n], j <- [0 .. m]]\n    cell i j\n      | i == n || j == m = 0\n      | xa ! i == ya ! j = 1 + table ! (i + 1, j + 1)\n      | otherwise = max (table ! (i + 1, j)) (table ! (i, j + 1))")), accepted=True, compiles=True)]),
    Q("Mutable counter in IO", ["haskell", "ioref"], 3, "2015-05-25T18:18:18.180",
      body(P("I need a counter shared between a few IO actions. Is there something like a mutable variable?")),
      [A(9, body(P("`Data.IORef`; prefer `modifyIORef'` (strict) so you do not build up thunks:"),
                  C("import Data.IORef\n\nmain :: IO ()\nmain = do\n  counter <- newIORef (0 :: Int)\n  mapM_ (\\_ -> modifyIORef' counter (+ 1)) [1 .. 10 :: Int]\n  readIORef counter >>= print")), accepted=True, compiles=True),
       A(2, body(P("If several threads touch it, use `atomicModifyIORef'` or an `MVar`.")))]),
    Q("Parsing key=value pairs with ReadP", ["haskell", "parsing"], 10, "2015-10-08T09:09:09.090",
      body(P("I want to parse `name=alice;age=30` without pulling in parsec. Does base have anything?")),
      [A(18, body(P("Yes, `Text.ParserCombinators.ReadP` ships with base:"),
                  C("import Text.ParserCombinators.ReadP\nimport Data.Char (isAlphaNum)\n\npair :: ReadP (String, String)\npair = do\n  k <- munch1 isAlphaNum\n  _ <- char '='\n  v <- munch1 isAlphaNum\n  return (k, v)\n\npairs :: ReadP [(String, String)]\npairs = sepBy pair (char ';') <* eof\n\nparsePairs :: String -> Maybe [(String, String)]\nparsePairs s = case readP_to_S pairs s of\n  [(r, \"\")] -> Just r\n  _ -> Nothing")), accepted=True, compiles=True)]),
    Q("Custom Show instance for a matrix", ["haskell", "typeclass", "show"], 2, "2016-01-20T20:20:20.200",
      body(P("I want `print` to show my matrix type row by row. Should I override `show`?")),
      [A(5, body(P("You can, but `Show` is meant to produce Haskell source. A separate pretty-printer is more idiomatic:"),
                  C("newtype Matrix = Matrix [[Int]]\n\nrender :: Matrix -> String\nrender (Matrix rows) = unlines (map (unwords . map show) rows)\n\nmain :: IO ()\nmain = putStr (render (Matrix [[1, 2], [3, 4]]))")), accepted=True, compiles=True),
       A(1, body(P("If you do write `instance Show Matrix`, implement `showsPrec`, not `show`, so that it nests correctly.")))]),
    Q("A typed expression evaluator with GADTs", ["haskell", "gadts"], 26, "2016-06-06T06:16:26.360",
      body(P("My `eval` for a tiny language returns `Either Int Bool` and is full of runtime checks. Can the type system do it?")),
      [A(44, body(P("With a GADT the constructors fix the result type, so `eval` needs no checks at all:"),
                  C("{-# LANGUAGE GADTs #-}\n\ndata Expr a where\n  IntE  :: Int -> Expr Int\n  BoolE :: Bool -> Expr Bool\n  Add   :: Expr Int -> Expr Int -> Expr Int\n  If    :: Expr Bool -> Expr a -> Expr a -> Expr a\n  Eq    :: Expr Int -> Expr Int -> Expr Bool\n\neval :: Expr a -> a\neval (IntE n) = n\neval (BoolE b) = b\neval (Add x y) = eval x + eval y\neval (If c t e) = if eval c then eval t else eval e\neval (Eq x y) = eval x == eval y")), accepted=True, compiles=True),
       A(5, body(P("Note that `Expr` is now impossible to derive `Show` for with plain `deriving`; use `StandaloneDeriving`.")))]),
    Q("Logging from pure code with Writer", ["haskell", "writer-monad"], 6, "2016-09-09T19:19:19.190",
      body(P("I want a pure function to return both a result and a log of the steps it took.")),
      [A(11, body(P("`Writer [String]` accumulates messages with `tell`:"),
                  C("import Control.Monad.Writer\n\ncollatz :: Int -> Writer [String] Int\ncollatz 1 = do\n  tell [\"done\"]\n  return 0\ncollatz n = do\n  tell [show n]\n  steps <- collatz (if even n then n `div` 2 else 3 * n + 1)\n  return (steps + 1)\n\nmain :: IO ()\nmain = do\n  let (steps, logLines) = runWriter (collatz 6)\n  print steps\n  mapM_ putStrLn logLines"),
                  P("For long logs use a `DList` or `Seq`, since `++` on lists is linear in the left argument.")), accepted=True, compiles=True)]),
    Q("Combining StateT and ExceptT", ["haskell", "monad-transformers", "mtl"], 19, "2017-02-02T12:02:02.020",
      body(P("I have a stack machine that keeps a stack in state and must fail on underflow. How do I combine the two effects?")),
      [A(30, body(P("With mtl classes you can write the operations against constraints and pick the concrete stack at the end:"),
                  C("{-# LANGUAGE FlexibleContexts #-}\nimport Control.Monad.State\nimport Control.Monad.Except\n\npop :: (MonadState [Int] m, MonadError String m) => m Int\npop = do\n  stack <- get\n  case stack of\n    (x : rest) -> put rest >> return x\n    [] -> throwError \"stack underflow\"\n\npush :: MonadState [Int] m => Int -> m ()\npush x = modify (x :)\n\naddTop :: (MonadState [Int] m, MonadError String m) => m ()\naddTop = do\n  a <- pop\n  b <- pop\n  push (a + b)\n\nrunMachine :: [Int] -> Either String ((), [Int])\nrunMachine = runExcept . runStateT addTop"),
                  P("With `StateT s (Except e)` a failure discards the state; with `ExceptT e (State s)` you keep the state at the point of failure.")), accepted=True, compiles=True),
       A(4, body(P("Also consider whether you need transformers at all: a plain function `[Int] -> Either String [Int]` is often enough.")))]),
    Q("Removing duplicates while keeping order", ["haskell", "list"], 13, "2017-05-05T05:05:05.050",
      body(P("`nub` keeps order but is quadratic. Is there an O(n log n) version?")),
      [A(25, body(P("Track what you have seen in a `Set`:"),
                  C("import qualified Data.Set as Set\n\nordNub :: Ord a => [a] -> [a]\nordNub = go Set.empty\n  where\n    go _ [] = []\n    go seen (x : xs)\n      | x `Set.member` seen = go seen xs\n      | otherwise = x : go (Set.insert x seen) xs")), accepted=True, compiles=True),
       A(7, body(P("`containers` 0.6.0.1 and later export exactly this as `Data.Containers.ListUtils.nubOrd`.")))]),
    Q("Sorting records by one field", ["haskell", "sorting"], 9, "2017-08-08T08:08:08.080",
      body(P("How do I sort a list of employees by salary, highest first?")),
      [A(17, body(P("`sortOn` with `Down` for descending order:"),
                  C("import Data.List (sortOn)\nimport Data.Ord (Down (..))\n\ndata Employee = Employee { ename :: String, salary :: Int }\n\nbySalary :: [Employee] -> [Employee]\nbySalary = sortOn (Down . salary)")), accepted=True, compiles=True),
       A(3, body(P("`sortBy (comparing salary)` also works; `sortOn` caches the key, which helps when it is expensive.")), compiles=False)]),
    Q("Run-length encoding of a string", ["haskell", "list"], 6, "2017-11-11T11:11:11.110",
      body(P("Turn `aaabcc` into `[('a',3),('b',1),('c',2)]`. Is there a library function?")),
      [A(14, body(P("`group` does the hard part:"),
                  C("import Data.List (group)\n\nrle :: String -> [(Char, Int)]\nrle = map (\\g -> (head g, length g)) . group")), accepted=True, compiles=True),
       A(5, body(P("With `Data.List.NonEmpty.group` you avoid the partial `head`:"),
                 C("import qualified Data.List.NonEmpty as NE\n\nrle :: String -> [(Char, Int)]\nrle = map (\\g -> (NE.head g, NE.length g)) . NE.group")), compiles=True)]),
    Q("All combinations of k elements with replicateM?", ["haskell", "combinatorics"], 8, "2018-01-15T15:01:15.015",
      body(P("`replicateM 2 \"abc\"` gives all pairs with repetition. How do I get combinations without repetition?")),
      [A(16, body(P("`replicateM` in the list monad is a Cartesian power. For combinations recurse on the tails:"),
                  C("import Data.List (tails)\n\ncombinations :: Int -> [a] -> [[a]]\ncombinations 0 _ = [[]]\ncombinations k xs = [y : rest | (y : ys) <- tails xs, rest <- combinations (k - 1) ys]")), accepted=True, compiles=True)]),
    Q("Guards or case for classifying numbers?", ["haskell", "pattern-matching"], 3, "2018-04-01T10:00:00.000",
      body(P("Which is more idiomatic for a function that classifies a BMI value: guards or `case`?")),
      [A(8, body(P("Guards, with the shared computation in a `where`:"),
                  C("bmiCategory :: Double -> Double -> String\nbmiCategory weight height\n  | bmi < 18.5 = \"underweight\"\n  | bmi < 25 = \"normal\"\n  | bmi < 30 = \"overweight\"\n  | otherwise = \"obese\"\n  where\n    bmi = weight / height ^ (2 :: Int)")), accepted=True, compiles=True, license=False)], license=False),
    Q("Accumulating all validation errors", ["haskell", "applicative", "validation"], 15, "2018-06-20T14:14:14.140",
      body(P("`Either` stops at the first error. I want to report every invalid field of a form.")),
      [A(27, body(P("An `Applicative` that is not a `Monad` can combine errors. It is a few lines to write yourself:"),
                  C("data Validation e a = Failure e | Success a\n  deriving Show\n\ninstance Functor (Validation e) where\n  fmap _ (Failure e) = Failure e\n  fmap f (Success a) = Success (f a)\n\ninstance Semigroup e => Applicative (Validation e) where\n  pure = Success\n  Failure a <*> Failure b = Failure (a <> b)\n  Failure a <*> Success _ = Failure a\n  Success _ <*> Failure b = Failure b\n  Success f <*> Success x = Success (f x)\n\ndata Form = Form { user :: String, age :: Int } deriving Show\n\nvalidate :: String -> Int -> Validation [String] Form\nvalidate u a = Form <$> checkUser <*> checkAge\n  where\n    checkUser = if null u then Failure [\"empty user\"] else Success u\n    checkAge = if a < 0 then Failure [\"negative age\"] else Success a")), accepted=True, compiles=True),
       A(6, body(P("The `validation` package on Hackage provides this type with more instances.")))]),
    Q("No instance for (Num String) arising from a literal", ["haskell", "type-error"], -2, "2018-09-03T03:03:03.030",
      body(P("`greeting n = \"Hello \" ++ n + 1` gives `No instance for (Num [Char])`. What does it mean?")),
      [A(4, body(P("`+` binds tighter than `++` (infixl 6 against infixr 5), so the expression parses as `\"Hello \" ++ (n + 1)`: `n + 1` must be a `String`, hence `Num [Char]`. Convert the number with `show`:"),
                 C("greeting :: Int -> String\ngreeting n = \"Hello \" ++ show (n + 1)")), accepted=True, compiles=True)]),
    Q("Capitalise the first letter of every word", ["haskell", "string"], 4, "2019-01-07T07:07:07.070",
      body(P("What is a short way to turn `hello big world` into `Hello Big World`?")),
      [A(9, body(P("Map over `words` and rebuild with `unwords`:"),
                 C("import Data.Char (toUpper)\n\ncapitalise :: String -> String\ncapitalise = unwords . map capWord . words\n  where\n    capWord [] = []\n    capWord (c : cs) = toUpper c : cs"),
                 P("This collapses runs of spaces; write a `span`-based loop if you must keep them.")), accepted=True, compiles=True),
       A(2, body(P("For `Text` there is `Data.Text.toTitle`, which also handles Unicode title case.")))]),
    Q("Inserting into a binary search tree", ["haskell", "binary-search-tree"], 7, "2019-03-12T12:12:12.120",
      body(P("How do I insert into an immutable BST? Do I copy the whole tree?")),
      [A(15, body(P("Only the path from the root to the new node is copied; the untouched subtrees are shared:"),
                  C("data BST a = Nil | Branch (BST a) a (BST a)\n\ninsert :: Ord a => a -> BST a -> BST a\ninsert x Nil = Branch Nil x Nil\ninsert x t@(Branch l y r) = case compare x y of\n  LT -> Branch (insert x l) y r\n  GT -> Branch l y (insert x r)\n  EQ -> t\n\nfromList :: Ord a => [a] -> BST a\nfromList = foldr insert Nil\n\ntoSortedList :: BST a -> [a]\ntoSortedList Nil = []\ntoSortedList (Branch l x r) = toSortedList l ++ [x] ++ toSortedList r")), accepted=True, compiles=True),
       A(3, body(P("`toSortedList` with `++` is quadratic on degenerate trees; build a difference list instead.")))]),
    Q("Turning a list of Maybe into a Maybe of list", ["haskell", "maybe"], 10, "2019-07-04T04:04:04.040",
      body(P("I have `[Just 1, Just 2, Nothing]` and want `Nothing`, or `Just [1,2]` when all are present.")),
      [A(22, body(P("That is `sequence` (or `sequenceA`):"),
                  C("allPresent :: [Maybe Int] -> Maybe [Int]\nallPresent = sequence\n\npresentOnes :: [Maybe Int] -> [Int]\npresentOnes xs = [x | Just x <- xs]"),
                  P("`catMaybes` from `Data.Maybe` does what `presentOnes` does.")), accepted=True, compiles=True)]),
    Q("Summing with a local mutable variable in ST", ["haskell", "st-monad"], 12, "2019-10-10T10:10:10.100",
      body(P("Can I use a mutable accumulator inside a function and still give it a pure type?")),
      [A(21, body(P("Yes, `runST` guarantees the mutation cannot escape:"),
                  C("import Control.Monad.ST\nimport Data.STRef\n\nsumST :: [Int] -> Int\nsumST xs = runST $ do\n  ref <- newSTRef 0\n  mapM_ (\\x -> modifySTRef' ref (+ x)) xs\n  readSTRef ref")), accepted=True, compiles=True),
       A(4, body(P("For a plain sum this is only a teaching example; `foldl'` compiles to the same loop.")))]),
    Q("Formatting a table with printf", ["haskell", "printf", "formatting"], 5, "2020-02-02T20:02:02.200",
      body(P("How do I print columns padded to a width, like C's `printf(\"%-10s %5d\")`?")),
      [A(10, body(P("`Text.Printf` works the same way and can return a `String` or print directly:"),
                  C("import Text.Printf (printf)\n\nreport :: [(String, Int)] -> IO ()\nreport = mapM_ (\\(k, v) -> printf \"%-10s %5d\\n\" k v)\n\nmain :: IO ()\nmain = report [(\"apples\", 3), (\"pears\", 12)]")), accepted=True, compiles=True)]),
    Q("Interact: process stdin lazily", ["haskell", "io", "lazy-io"], 3, "2020-05-05T15:05:05.500",
      body(P("I want a filter program that numbers the lines of its input. Is `interact` a good fit?")),
      [A(7, body(P("For simple filters, yes:"),
                 C("main :: IO ()\nmain = interact (unlines . zipWith number [1 :: Int ..] . lines)\n  where\n    number n l = show n ++ \": \" ++ l")), accepted=True, compiles=True),
       A(1, body(P("Be careful mixing `interact` with other stdin reads; lazy IO makes the order surprising.")))]),
    Q("Using IntMap for a sparse vector", ["haskell", "containers", "intmap"], 6, "2020-08-18T08:18:08.180",
      body(P("Is `Data.IntMap` faster than `Data.Map Int`? I store a sparse vector and add two of them often.")),
      [A(12, body(P("Usually yes, it is a big-endian Patricia tree specialised to `Int` keys. Adding two vectors is `unionWith`:"),
                  C("import qualified Data.IntMap.Strict as IM\n\ntype Sparse = IM.IntMap Double\n\naddVec :: Sparse -> Sparse -> Sparse\naddVec = IM.unionWith (+)\n\ndot :: Sparse -> Sparse -> Double\ndot a b = sum (IM.elems (IM.intersectionWith (*) a b))")), accepted=True, compiles=True)]),
    Q("Default values for Maybe fields", ["haskell", "maybe"], 2, "2021-01-21T21:21:21.210",
      body(P("My config has `Maybe Int` fields. What is the cleanest way to fall back to defaults?")),
      [A(6, body(P("`fromMaybe` from `Data.Maybe`, or `maybe` when you also transform the value:"),
                 C("import Data.Char (toLower)\nimport Data.Maybe (fromMaybe)\n\ndata Opts = Opts { port :: Maybe Int, host :: Maybe String }\n\nresolvedPort :: Opts -> Int\nresolvedPort = fromMaybe 8080 . port\n\nresolvedHost :: Opts -> String\nresolvedHost = maybe \"localhost\" (map toLower) . host")), accepted=True, compiles=True),
       A(-1, body(P("Just use `case` everywhere, it is clearer.")))]),
    Q("Semigroup and Monoid instances for a Max wrapper", ["haskell", "monoid", "typeclass"], 11, "2021-04-04T14:04:04.404",
      body(P("I wrote `instance Monoid Max` and GHC complains there is no `Semigroup` instance.")),
      [A(20, body(P("Since base 4.11 `Semigroup` is a superclass of `Monoid`, so you define `<>` there and `mempty` in `Monoid`:"),
                  C("newtype MaxInt = MaxInt Int\n  deriving Show\n\ninstance Semigroup MaxInt where\n  MaxInt a <> MaxInt b = MaxInt (max a b)\n\ninstance Monoid MaxInt where\n  mempty = MaxInt minBound\n\nlargest :: [Int] -> Int\nlargest xs = let MaxInt m = foldMap MaxInt xs in m")), accepted=True, compiles=True),
       A(5, body(P("`Data.Semigroup.Max` already exists and works for any `Ord` with `Bounded`.")))]),
    Q("Why does my where clause not see the do-bound variable?", ["haskell", "scope"], 4, "2021-07-07T07:17:27.370",
      body(P("In `main = do { line <- getLine; print result } where result = length line` GHC says `line` is not in scope.")),
      [A(11, body(P("A `where` clause scopes over the whole equation, outside the `do` block, so it cannot see variables bound inside it. Use `let` inside the `do`:"),
                  C("main :: IO ()\nmain = do\n  line <- getLine\n  let result = length line\n  print result")), accepted=True, compiles=True)]),
    Q("Type class with a default method", ["haskell", "typeclass"], 8, "2022-02-22T22:22:22.220",
      body(P("Can a class method have a default implementation that instances may override?")),
      [A(15, body(P("Yes, give the definition in the class body:"),
                  C("class Shape a where\n  area :: a -> Double\n  perimeter :: a -> Double\n  describe :: a -> String\n  describe s = \"shape with area \" ++ show (area s)\n\ndata Square = Square Double\n\ninstance Shape Square where\n  area (Square s) = s * s\n  perimeter (Square s) = 4 * s")), accepted=True, compiles=True),
       A(2, body(P("`DefaultSignatures` lets the default have a more specific type, which generic programming uses a lot.")))]),
    Q("Concurrent counter with MVar", ["haskell", "concurrency"], 9, "2022-06-16T16:16:16.160",
      body(P("Several threads increment a counter. How do I make it safe and wait for all of them?")),
      [A(14, body(P("An `MVar` per thread to signal completion and one for the counter:"),
                  C("import Control.Concurrent\nimport Control.Monad (forM, forM_, replicateM_)\n\nmain :: IO ()\nmain = do\n  counter <- newMVar (0 :: Int)\n  dones <- forM [1 .. 4 :: Int] $ \\_ -> do\n    done <- newEmptyMVar\n    _ <- forkIO $ do\n      replicateM_ 1000 (modifyMVar_ counter (return . (+ 1)))\n      putMVar done ()\n    return done\n  forM_ dones takeMVar\n  readMVar counter >>= print")), accepted=True, compiles=True),
       A(6, body(P("For anything more complex use STM (`TVar`) from the `stm` package.")))]),
    Q("zip three lists together", ["haskell", "list"], 1, "2022-09-09T09:09:09.900",
      body(P("`zip` takes two lists. Is there a three-list version?")),
      [A(3, body(P("`zip3` and `zipWith3` are in the Prelude:"),
                 C("totals :: [Int] -> [Int] -> [Int] -> [Int]\ntotals = zipWith3 (\\a b c -> a + b + c)")), accepted=True, compiles=True)]),
    Q("Pattern synonyms for a view of Seq", ["haskell", "containers", "sequence"], 7, "2023-03-03T13:03:03.303",
      body(P("How do I pattern match on the front and back of a `Data.Sequence`?")),
      [A(12, body(P("`containers` exports the pattern synonyms `:<|`, `:|>` and `Empty`:"),
                  C("import Data.Sequence (Seq (..))\nimport qualified Data.Sequence as Seq\n\nrotate :: Seq a -> Seq a\nrotate Empty = Empty\nrotate (x :<| rest) = rest :|> x\n\nlastTwo :: Seq a -> Maybe (a, a)\nlastTwo (_ :|> a :|> b) = Just (a, b)\nlastTwo _ = Nothing\n\nsample :: Seq Int\nsample = rotate (Seq.fromList [1, 2, 3])")), accepted=True, compiles=True),
       A(2, body(P("`viewl` and `viewr` are the older interface and still work.")))]),
    Q("Deriving Ord for an enumeration", ["haskell", "deriving"], 5, "2023-05-17T17:05:17.170",
      body(P("Does a derived `Ord` compare constructors in declaration order? I rely on it for a priority type.")),
      [A(9, body(P("Yes; earlier constructors are smaller. `Enum` and `Bounded` let you list them all:"),
                  C("data Priority = Low | Medium | High | Critical\n  deriving (Show, Eq, Ord, Enum, Bounded)\n\nallPriorities :: [Priority]\nallPriorities = [minBound .. maxBound]\n\nurgent :: [Priority] -> [Priority]\nurgent = filter (>= High)")), accepted=True, compiles=True),
       A(1, body(P("It is specified in the Haskell Report, section 11.")))]),
    Q("what is a monad", ["haskell", "monads"], -5, "2023-08-01T01:01:01.010",
      body(P("explain monads pls")),
      [A(-3, body(P("A monad is just a monoid in the category of endofunctors.")))]),
    # Rows a Haskell-only reader must drop.
    Q("Python: sort a dict by value", ["python", "sorting", "dictionary"], 30, "2012-08-08T18:08:08.800",
      body(P("How do I get the keys of a dict ordered by their values?")),
      [A(41, body(P("Use `sorted` with a key:"), C("sorted(d, key=d.get, reverse=True)")), accepted=True)]),
    Q("JavaScript: remove an element from an array", ["javascript", "arrays"], 12, "2014-09-19T09:19:19.190",
      body(P("What is the cleanest way to remove one item by value?")),
      [A(20, body(P("`filter` returns a new array:"), C("const rest = items.filter(x => x !== target);")), accepted=True),
       A(4, body(P("`splice` mutates in place if you know the index.")))]),
    Q("SQL: select the second highest salary", ["sql", "mysql"], 7, "2016-12-12T12:12:12.120",
      body(P("How do I find the second highest value in a column?")),
      [A(11, body(C("SELECT MAX(salary) FROM employees WHERE salary < (SELECT MAX(salary) FROM employees);")), accepted=True)]),
    Q("Best Haskell book for beginners?", ["haskell", "books"], 25, "2010-10-10T10:10:10.100",
      body(P("Which book should I read first?")),
      [A(30, body(P("Opinions vary; this question is closed as opinion-based.")))], closed=True),
    Q("List of Haskell learning resources", ["haskell", "resources"], 60, "2011-05-05T05:05:05.050",
      body(P("A community-maintained list of tutorials, books and courses.")),
      [A(45, body(P("Start with the Haskell wiki's learning page and the Haskell Report.")))], wiki=True),
]

TAG_WIKI = [  # PostTypeId 4 = tag wiki excerpt, 5 = tag wiki body; no parent, no title
    (4, "Haskell is a purely functional programming language with non-strict semantics and strong static typing.", "2009-01-10T10:00:00.000"),
    (5, "<p>Haskell is a purely functional, lazily evaluated programming language named after the logician Haskell Curry.</p>\n", "2009-01-10T10:00:00.000"),
]


def _license(date: str) -> str:
    return "CC BY-SA 2.5" if date < "2011-04-08" else "CC BY-SA 3.0" if date < "2018-05-02" else "CC BY-SA 4.0"


def _shift(date: str, hours: int) -> str:
    t = datetime.strptime(date, "%Y-%m-%dT%H:%M:%S.%f") + timedelta(hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def _rows() -> tuple[list[dict], list[int]]:
    rows, compiling = [], []
    next_id = 4210
    for kind, text, date in TAG_WIKI:
        rows.append(dict(Id=next_id, PostTypeId=kind, CreationDate=date, Score=0, Body=text,
                         OwnerUserId=-1, LastActivityDate=date, CommentCount=0,
                         ContentLicense=_license(date)))
        next_id += 7
    for n, q in enumerate(QUESTIONS):
        qid = next_id + 13 * n
        answer_ids = [qid + 1 + k for k in range(len(q["answers"]))]
        accepted = [aid for aid, a in zip(answer_ids, q["answers"]) if a["accepted"]]
        row = dict(Id=qid, PostTypeId=1, AcceptedAnswerId=accepted[0] if accepted else None,
                   CreationDate=q["date"], Score=q["score"], ViewCount=q["views"] or 40 * abs(q["score"]) + 17,
                   Body=q["body"], OwnerUserId=100 + n, LastActivityDate=_shift(q["date"], 30),
                   Title=q["title"], Tags="".join(f"<{t}>" for t in q["tags"]),
                   AnswerCount=len(q["answers"]), CommentCount=n % 4,
                   ClosedDate=_shift(q["date"], 2) if q["closed"] else None,
                   CommunityOwnedDate=q["date"] if q["wiki"] else None,
                   ContentLicense=_license(q["date"]) if q["license"] else None)
        rows.append(row)
        for k, (aid, a) in enumerate(zip(answer_ids, q["answers"])):
            date = _shift(q["date"], a["hours"] + 5 * k)
            rows.append(dict(Id=aid, PostTypeId=2, ParentId=qid, CreationDate=date, Score=a["score"],
                             Body=a["body"], OwnerUserId=500 + 3 * n + k, LastActivityDate=date,
                             CommentCount=k, ContentLicense=_license(date) if a["license"] else None))
            if a["compiles"]:
                compiling.append(aid)
    return rows, compiling


def write_posts_xml(path: Path) -> int:
    rows, compiling = _rows()
    root = etree.Element("posts")
    root.text = "\n  "
    for row in sorted(rows, key=lambda r: r["Id"]):  # real dumps are ordered by Id
        element = etree.SubElement(root, "row", {k: str(v) for k, v in row.items() if v is not None})
        element.tail = "\n  "
    element.tail = "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    # The declaration is written by hand: dumps use double quotes, lxml writes single ones.
    declaration = b'<?xml version="1.0" encoding="utf-8"?>\n'
    path.write_bytes(declaration + etree.tostring(root, encoding="utf-8") + b"\n")
    (path.parent / "compiling_answers.json").write_text(json.dumps(compiling, indent=0) + "\n")
    return len(rows)


if __name__ == "__main__":
    n = write_posts_xml(OUT / "Posts.xml")
    print(f"wrote {n} rows to {OUT / 'Posts.xml'}")
