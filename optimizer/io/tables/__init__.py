"""Problems as editable tables: one table per sheet, read back with cell-located errors.

A *bundle* is one table per sheet (XLSX) or one ``<sheet>.csv`` per table (in a
ZIP); a bundle needs a ``settings`` sheet. The layout of every sheet is in
``sheets`` and ``docs/dashboard.md``. Rows are numbered from 1 (the first row
under the header); errors name the sheet, the row and the column.
"""
