"""SQLCipher storage: connection, schema migrations and repositories. The only SQL writer."""
