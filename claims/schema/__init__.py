"""The schema as the library sees it: the Core tables (``tables``) and the ORM mapped onto
them (``models``), what every Core read shares (``sql``), the full-text index on each
engine (``fulltext``, ``cjk``), bulk loading (``bulk``) and the one-text-per-source index
(``uniqueness``). What creates it is ``migrations/``; opening a database is
``claims.database``'s."""
