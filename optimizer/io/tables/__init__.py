"""Problems as editable tables: one table per sheet, read back with cell-located errors.

A *bundle* is one table per sheet (XLSX) or one ``<sheet>.csv`` per table (in a
ZIP, in a folder or uploaded together, read alike by ``csv_bundle``); a bundle needs a
``settings`` sheet. The layout of every sheet is in
``sheets`` and ``docs/dashboard.md``. Errors name the sheet, the row and the column:
a table read from a file (``bundle``) numbers its rows by the file's own line (CSV)
or sheet row (XLSX); any other table (the dashboard editor, ``from_problem``) counts
its rows from 1 under the header.
"""
