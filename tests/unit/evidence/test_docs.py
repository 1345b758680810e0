from pathlib import Path

from riskatlas.evidence.catalogue import source_names
from riskatlas.evidence.fetch import DEFAULT_URLS

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-sources.md"


def test_every_source_and_feed_is_documented():
    text = DOC.read_text(encoding="utf-8")
    assert len(source_names()) > 10 and DEFAULT_URLS
    for name in source_names():
        assert f"| `{name}` |" in text, f"docs/data-sources.md has no row for source {name}"
    for name in DEFAULT_URLS:
        assert f"| `{name}` |" in text, name
    for table in ("categories_acled.csv", "categories_ucdp.csv", "categories_gtd.csv",
                  "categories_cameo.csv", "area_aliases.csv", "baseline_index.yaml",
                  "inform_2020.yaml", "advice_levels.yaml"):  # fmt: skip
        assert table in text, f"docs/data-sources.md does not mention data/{table}"
