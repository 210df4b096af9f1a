"""What enters the warehouse: bureau files read, validated and written (all rows or none), with the
ledger, undo, rebuild and the import templates; and the deterministic demo generator."""
