"""One module per post field: its cascade (theme profile, platform rules, generic fallback), markers and checks."""
