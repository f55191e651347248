"""The fund's awards as 360Giving open data: a JSON package, a flat CSV and an XLSX workbook.

Pure writers: they take `GrantRecord`s (built from awards by `ambition.fund.published`) and
never touch the database. The standard's schema ships in `data/standards/360giving/`.
"""
