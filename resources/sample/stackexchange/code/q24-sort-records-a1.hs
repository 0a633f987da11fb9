import Data.List (sortOn)
import Data.Ord (Down (..))

data Employee = Employee { ename :: String, salary :: Int }

bySalary :: [Employee] -> [Employee]
bySalary = sortOn (Down . salary)
