bmiCategory :: Double -> Double -> String
bmiCategory weight height
  | bmi < 18.5 = "underweight"
  | bmi < 25 = "normal"
  | bmi < 30 = "overweight"
  | otherwise = "obese"
  where
    bmi = weight / height ^ (2 :: Int)
