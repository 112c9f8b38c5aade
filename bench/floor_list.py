"""The floor for ``claims list --entity X --limit 50``: one file, Typer plus SQLAlchemy Core,
answering the same question on the same file with the same tab-separated columns.

No ORM, no migrations check, no error handling: what the stack costs and nothing more.
"""

import unicodedata
from typing import Annotated

import typer

app = typer.Typer()

IDS = """
SELECT claim_id FROM claim_entities WHERE entity_id = :entity
UNION SELECT id FROM claims WHERE speaker_id = :entity
ORDER BY 1 LIMIT :limit
"""
ROWS = """
SELECT c.id, h.to_status, sp.name, s.key, c.said_on,
       (SELECT group_concat(name, ', ') FROM (
            SELECT e.name FROM claim_entities ce JOIN entities e ON e.id = ce.entity_id
            WHERE ce.claim_id = c.id ORDER BY e.name)),
       c.text
FROM claims c JOIN sources s ON s.id = c.source_id
LEFT JOIN entities sp ON sp.id = c.speaker_id
LEFT JOIN status_history h ON h.id = c.status_event_id
WHERE c.id IN ({ids}) ORDER BY c.id
"""


@app.command()
def main(
    db: Annotated[str, typer.Option("--db")],
    entity: Annotated[str, typer.Option("--entity")],
    limit: Annotated[int, typer.Option("--limit")] = 50,
) -> None:
    from sqlalchemy import create_engine, text

    key = " ".join(unicodedata.normalize("NFKC", entity).casefold().split())
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        entity_id = conn.execute(
            text("SELECT entity_id FROM entity_names WHERE key = :key"), {"key": key}).scalar()
        ids = list(conn.execute(text(IDS), {"entity": entity_id, "limit": limit}).scalars())
        marks = ", ".join(str(int(i)) for i in ids) or "NULL"
        for row in conn.execute(text(ROWS.format(ids=marks))):
            typer.echo("\t".join("" if v is None else str(v) for v in row))


if __name__ == "__main__":
    app()
