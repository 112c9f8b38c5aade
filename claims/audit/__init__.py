"""The audit log read and acted on: its entries decoded (``entries``, ``ranges``), the
change log (``log``), one claim's history (``history``), putting rows back (``revert``),
``undo`` and ``restore``, ``purge``, and the database as it stood at a moment (``as_of``).
Every write transaction's change set is opened by ``claims.audit.changesets``."""
