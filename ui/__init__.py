"""The PySide6 desktop application. Imports ``app``; ``app`` never imports this."""
