data Priority = Low | Medium | High | Critical
  deriving (Show, Eq, Ord, Enum, Bounded)

allPriorities :: [Priority]
allPriorities = [minBound .. maxBound]

urgent :: [Priority] -> [Priority]
urgent = filter (>= High)
