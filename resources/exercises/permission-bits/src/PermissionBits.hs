module PermissionBits (Permission(..), toBits, fromBits, render, renderMode) where

data Permission = Read | Write | Execute deriving (Show, Eq, Ord, Enum, Bounded)

toBits :: [Permission] -> Int
toBits ps = error "You need to implement this function."

fromBits :: Int -> Maybe [Permission]
fromBits n = error "You need to implement this function."

render :: Int -> Maybe String
render n = error "You need to implement this function."

renderMode :: String -> Maybe String
renderMode mode = error "You need to implement this function."
