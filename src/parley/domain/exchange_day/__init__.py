"""The exchange day (pure): the fleet and its manifest, check-in at the handover point, the parity
board of a stage, incidents. No I/O; services and adapters do the storing and solving."""
