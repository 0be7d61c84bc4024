"""The pure domain core: no database, web, file or linkage imports (a test keeps it so)."""
