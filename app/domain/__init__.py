"""The business rules of invoicing as plain data and functions: no I/O, no SQL, no Qt."""
