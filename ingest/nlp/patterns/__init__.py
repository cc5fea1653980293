"""Word lists the rules use that are grammar, not reference data (roles live here, not in seeds)."""
