module E where
