"""Build the demo data shipped in ``data/`` from the collected public sources.

Run from the repository root::

    python -m scripts.demo_data --shared ../shared/data

The shipped product never reads the shared folder: this package copies what the demo needs
into ``data/`` once, and is committed so the copy can be rebuilt and audited. Nothing is
generated or invented here. The build only selects rows, converts formats (xlsx dumps, gzip,
long layout) and re-labels codes (DfE LA numbers and names to ONS GSS codes, Kaggle
"01/12/YY" dates to financial years). Every value is written as the source's text, verbatim.

Which indicators come from which source is `selection.toml`; each source has one reader
in `sources/`; the prose shipped beside the data is in `templates/`. Authority names are
matched by the importer's own rule, `ambition.registry.names`. The output is byte-for-byte
reproducible: rows are sorted and gzip headers carry no timestamp.
"""
