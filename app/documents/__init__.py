"""What leaves the vault as a file: PDF documents, Factur-X and UBL e-invoices.

Renderers are pure functions of a :class:`~app.documents.source.Source` (or a
:class:`~app.documents.source.ReminderSource`): they never read the database and
give the same bytes for the same input, so a stored PDF can be checked against
a fresh rendering.
"""
