"""The FastAPI hub with its own store (SQLite by default, PostgreSQL by URL)."""
