"""Performance benchmarks for InvoiceVault: ``make bench`` (or ``python -m benchmarks``)."""
