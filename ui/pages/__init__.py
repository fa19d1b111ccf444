"""The screens of the vault window: create, recovery key, unlock, unlocked.

Pages only show things and emit what the user asked for; the window runs the
work on the :class:`~ui.worker.DbWorker` and calls back into the page.
"""
