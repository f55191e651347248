"""Spend analytics: councils' spending files read into canonical transactions, suppliers
resolved across authorities, and where to buy together. `reading` is the pure first step:
a file's bytes in, records and row-by-row problems out, with no database and no request."""
