"""Record filters shared by source readers and the cleaning stage."""
