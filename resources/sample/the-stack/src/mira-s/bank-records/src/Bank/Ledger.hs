-- | An append-only ledger kept in the State monad.
module Bank.Ledger (Entry (..), Ledger, record, balanceOf, runLedger) where

import Control.Monad.State
import qualified Data.Map.Strict as M

data Entry = Entry { entryAccount :: String, entryAmount :: Integer }
  deriving Show

type Ledger = State [Entry]

record :: String -> Integer -> Ledger ()
record acc amount = modify (Entry acc amount :)

balanceOf :: String -> Ledger Integer
balanceOf acc = gets (sum . map entryAmount . filter ((== acc) . entryAccount))

runLedger :: Ledger a -> (a, M.Map String Integer)
runLedger action =
  let (result, entries) = runState action []
   in (result, M.fromListWith (+) [(entryAccount e, entryAmount e) | e <- entries])
