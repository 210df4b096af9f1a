"""What the product knows before any data: the plans and the metric catalogue (targets.toml), reference
lists (towns, honours, grades), the bureau's file kinds. No DuckDB, no Streamlit."""
