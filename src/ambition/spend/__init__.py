"""Spend analytics: councils' spending files read into canonical transactions, suppliers
resolved across authorities, and where to buy together. `reading` is the pure first step:
a file's bytes in, records and row-by-row problems out, with no database and no request.
`store` keeps a read file, all or nothing (`parquet` the rows, `models` what is known of
the file, `coverage` the months it replaces); `engine` is the one way spend is queried,
`steps` the SQL it runs and `transactions` the stored rows opened on it."""
