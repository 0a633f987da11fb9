-- | Temperatures with explicit scales and conversions.
module Temperature (Temp (..), toCelsius, toFahrenheit, describe) where

data Temp = Celsius Double | Fahrenheit Double | Kelvin Double
  deriving Show

toCelsius :: Temp -> Double
toCelsius (Celsius c) = c
toCelsius (Fahrenheit f) = (f - 32) * 5 / 9
toCelsius (Kelvin k) = k - 273.15

toFahrenheit :: Temp -> Double
toFahrenheit t = toCelsius t * 9 / 5 + 32

describe :: Temp -> String
describe t
  | c < 0 = "freezing"
  | c < 15 = "cold"
  | c < 25 = "mild"
  | otherwise = "hot"
  where
    c = toCelsius t
