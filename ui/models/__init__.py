"""Qt models of the open vault's lists."""
