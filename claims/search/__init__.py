"""Search: full-text ranking (``ranking``), the first page of a common word on PostgreSQL
(``topk``), and claims that say the same thing (``duplicates``)."""
