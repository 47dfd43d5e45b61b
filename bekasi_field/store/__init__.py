"""SQLModel tables, the engine, migrations, bulk import and lookups."""
