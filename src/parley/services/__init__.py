"""Use cases. The only layer that changes state: each call checks rights, writes, and audits."""
