"""Import and export: the tool's own jsonl/json records, CSV/TSV with column maps, and
schema.org ClaimReview JSON-LD.

One call each, inside a transaction the caller opens::

    from claims.io.tabular import ColumnMap
    from claims.io.batching import ImportOptions
    from claims.io.export import export_claims
    from claims.io.api import import_stream

    with db.write() as session, open("liar.tsv", encoding="utf-8") as stream:
        summary = import_stream(session, stream, "tsv",
                                ImportOptions(label="liar.tsv", default_source="liar"),
                                column_map=ColumnMap.parse(["3=text", "5=speaker"]),
                                header=False)
    with db.read() as session:
        export_claims(session, sys.stdout, "jsonl", ClaimFilter(tag="energy"))

Each name is defined in one module here and offered by the package's face, ``claims``.
"""
