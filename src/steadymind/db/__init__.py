"""The database: engine, table base, migrations. Tables are registered by the features."""
