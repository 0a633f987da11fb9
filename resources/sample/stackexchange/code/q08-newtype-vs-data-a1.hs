newtype N = N Int
data D = D Int

fromN :: N -> Int
fromN (N _) = 1

fromD :: D -> Int
fromD (D _) = 1

-- fromN undefined == 1, but fromD undefined diverges
