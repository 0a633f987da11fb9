module PathNormalize (normalize) where

normalize :: String -> String
normalize path = error "You need to implement this function."
