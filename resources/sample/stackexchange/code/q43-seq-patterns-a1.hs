import Data.Sequence (Seq (..))
import qualified Data.Sequence as Seq

rotate :: Seq a -> Seq a
rotate Empty = Empty
rotate (x :<| rest) = rest :|> x

lastTwo :: Seq a -> Maybe (a, a)
lastTwo (_ :|> a :|> b) = Just (a, b)
lastTwo _ = Nothing

sample :: Seq Int
sample = rotate (Seq.fromList [1, 2, 3])
