"""Reads: claim filters and listings (``query``), the JSON records (``records``), lookups by
key (``lookup``), orders (``sorting``), track records (``stats``) and the link graph
(``graph``)."""
