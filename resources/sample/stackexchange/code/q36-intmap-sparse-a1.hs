import qualified Data.IntMap.Strict as IM

type Sparse = IM.IntMap Double

addVec :: Sparse -> Sparse -> Sparse
addVec = IM.unionWith (+)

dot :: Sparse -> Sparse -> Double
dot a b = sum (IM.elems (IM.intersectionWith (*) a b))
