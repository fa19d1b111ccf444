"""The parts of the open vault, one per entry of the side bar (dashboard, invoices, ...).

Each section is a :class:`~ui.sections.base.Section`: it reads and acts only
through the :class:`~ui.context.AppContext` it is given, so all database work
runs on the one worker thread and all user actions follow :mod:`ui.operations`.
"""
