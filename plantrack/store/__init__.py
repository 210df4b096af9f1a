"""The warehouse: the only package that opens DuckDB. Named queries from queries/, derived tables, and
the single writer that replaces the file atomically."""
