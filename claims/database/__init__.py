"""A claims database opened, upgraded and looked after: where it is and how it is opened
(``engine``, ``read_only``), the engines' faults said for what they are (``faults``), the
Alembic glue (``migrate``, ``resources``), and the whole-database tools: ``copy``,
``backup`` and ``check``."""
