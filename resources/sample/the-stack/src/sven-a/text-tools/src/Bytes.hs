-- | Byte-level helpers: hex dump and checksum of a strict ByteString.
module Bytes (hexDump, adler32) where

import Data.Bits (shiftL, (.|.))
import qualified Data.ByteString as B
import Data.Word (Word32, Word8)
import Numeric (showHex)

hexByte :: Word8 -> String
hexByte w = let h = showHex w "" in if length h == 1 then '0' : h else h

hexDump :: B.ByteString -> [String]
hexDump bs
  | B.null bs = []
  | otherwise = unwords (map hexByte (B.unpack line)) : hexDump rest
  where
    (line, rest) = B.splitAt 16 bs

adler32 :: B.ByteString -> Word32
adler32 = finish . B.foldl' step (1, 0)
  where
    modulus = 65521
    step (a, b) w = let a' = (a + fromIntegral w) `mod` modulus in (a', (b + a') `mod` modulus)
    finish (a, b) = (b `shiftL` 16) .|. a
