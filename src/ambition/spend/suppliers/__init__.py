"""Supplier resolution: names as comparable keys (`names`), Splink's linkage of them into
suppliers (`resolve`), and runs over the stored spend kept as Parquet (`runs`)."""
