"""The floor for start-up: a bare Typer app with one command, nothing else imported."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = typer.Argument("world", help="Who to greet.")) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app(prog_name="bare")
