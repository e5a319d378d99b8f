import importlib.util
import sys
from importlib import metadata
from pathlib import Path

import click
import markupsafe
import requests


@click.command()
@click.option("--name", default="world", help="Who to greet.")
def main(name: str) -> None:
    greeting = (Path(__file__).parent / "greeting.txt").read_text().strip()
    click.echo(f"{greeting}, {markupsafe.escape(name)}!")
    click.echo(f"requests {requests.__version__}, markupsafe {metadata.version('markupsafe')} "
               f"(C speedups: {importlib.util.find_spec('markupsafe._speedups') is not None}), click {metadata.version('click')}")
    click.echo(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
