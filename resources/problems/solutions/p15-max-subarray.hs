-- Kadane: the best sum ending here is either this element or it plus the best ending before.
main :: IO ()
main = do
  (_ : x : xs) <- map read . words <$> getContents
  print (snd (foldl step (x, x) xs) :: Integer)
  where
    step (cur, best) y = let cur' = max y (cur + y) in (cur', max best cur')
