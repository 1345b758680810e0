"""Text extraction: accuracy, speed, start-up and memory, beside a keyword baseline.

    .venv/bin/python benchmarks/extraction_eval.py

Reads ``../shared/data/advisories`` (the heading-labelled set) and ``../shared/seed`` (scored
against ``tests/gold``). Prints the Markdown tables that go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from riskatlas.extraction.engine import available_model
from riskatlas.extraction.model import pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ADVISORIES = SHARED / "data" / "advisories"
SEED = SHARED / "seed" / "000_bf218ab2b5ef083b.txt"
GOLD = ROOT / "tests" / "gold" / "seed_000_bf218ab2b5ef083b.yaml"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cold_start(runs: int = 5) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) of a whole ``riskatlas extract SEED`` process, with the gazetteer
    cache warm (the usual case) and with an empty cache directory (the first call after
    install); and of ``riskatlas --help``, the floor every command pays."""
    cli = [sys.executable, "-c", "from riskatlas.cli import main; main()"]
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "XDG_CACHE_HOME": empty}
        first = [_timed([*cli, "extract", str(SEED)], env)]
        for _ in range(2):
            for item in Path(empty).glob("riskatlas/*"):
                item.unlink()
            first.append(_timed([*cli, "extract", str(SEED)], env))
    later = [_timed([*cli, "extract", str(SEED)]) for _ in range(runs)]
    floor = [_timed([*cli, "--help"]) for _ in range(runs)]
    cases = [
        ("riskatlas extract SEED, first call (no gazetteer cache)", first),
        ("riskatlas extract SEED, later calls", later),
    ]
    if available_model():
        cases[0] = (cases[0][0] + ", with the spaCy pipeline", first)
        cases[1] = (cases[1][0] + ", with the spaCy pipeline", later)
        lexicon = [_timed([*cli, "extract", "--no-model", str(SEED)]) for _ in range(runs)]
        cases.append(("riskatlas extract --no-model SEED, later calls (lexicon engine)", lexicon))
    cases.append(("riskatlas --help (what every command pays)", floor))
    for label, samples in cases:
        results[label] = (
            statistics.median(s[0] for s in samples),
            statistics.median(s[1] for s in samples),
        )
    return results


def spacy_side_by_side(seed: str, gold: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    """Places and actors on the seed: lexicon engine, engine + spaCy, the pipeline alone."""
    from riskatlas.extraction import extract
    from riskatlas.extraction.gazetteer import gazetteer
    from riskatlas.extraction.gold import score_draft
    from riskatlas.extraction.model import pipeline

    doc = pipeline(str(available_model()))(seed)
    places = []
    for entity in doc.ents:
        if entity.label_ in ("GPE", "LOC"):
            known = gazetteer().lookup(entity.text)
            places.append({"text": entity.text, "iso_3166": known[0].iso_3166 if known else None})
    actors = [{"name": e.text, "aliases": []} for e in doc.ents if e.label_ == "ORG"]
    empty = {k: [] for k in ("sentences", "incidents", "recommendations", "trends")}
    empty |= {"likelihood": [], "credibility": []}
    alone = score_draft({**empty, "places": places, "actors": actors}, gold)
    plain = score_draft(extract(seed), gold)
    with_model = score_draft(extract(seed, use_model=True), gold)
    return {
        field: [
            f"{s[field].precision:.2f} / {s[field].recall:.2f} / {s[field].f1:.2f}"
            for s in (plain, with_model, alone)
        ]
        for field in ("places", "actors")
    }


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    if not ADVISORIES.is_dir() or not SEED.is_file():
        sys.exit(f"needs {ADVISORIES} and {SEED}")

    rss_start = rss_mib()
    from riskatlas.extraction import extract
    from riskatlas.extraction.evaluation import (
        UNSEEN_FILES,
        advisory_pages,
        classify_pages,
        engine_page_classifier,
        evaluate,
        keyword_baseline,
        lexicon_page_classifier,
        macro_f1,
    )
    from riskatlas.extraction.gold import score_draft
    from riskatlas.extraction.sentences import split_sentences
    from riskatlas.extraction.train import (
        WELL_MEASURED,
        country_fold,
        examples,
        held_out,
        report,
    )

    pages = advisory_pages(ADVISORIES)
    engine = classify_pages(pages, engine_page_classifier)
    lexicon = classify_pages(pages, lexicon_page_classifier)
    baseline = classify_pages(pages, lambda texts: [keyword_baseline(t) for t in texts])
    splits = {
        "all three governments": None,
        "Canada + UK": lambda p: p.government != "australia",
        "Australia": lambda p: p.government == "australia",
    }
    out: list[str] = []
    say = out.append
    say("### Heading-labelled advisory set")
    say("")
    labelled = engine[0]
    say(
        f"{len(labelled)} labelled paragraphs from {len(pages)} pages "
        "(Canada security.md, UK Safety and security.md, Australia Safety.md; 10 countries)."
    )
    say("")
    say("Held out: the engine (lexicon + paragraph model) trained by `riskatlas.extraction.train`")
    say("without the paragraphs it is tested on; the lexicon alone and the keyword baseline learn")
    say("nothing, so their figures are on the same paragraphs, per group and then averaged.")
    say("")
    data = examples(pages)
    figures = report(data)
    gov = {
        g: macro_f1(evaluate(*lexicon, lambda p, g=g: p.government == g))
        for g in ("australia", "canada", "unitedkingdom")
    }
    gov_base = {g: macro_f1(evaluate(*baseline, lambda p, g=g: p.government == g)) for g in gov}
    well = WELL_MEASURED
    say(
        f"| split | engine (held out) | lexicon alone | keyword baseline "
        f"| engine, categories ≥ {well} paragraphs | lexicon, ≥ {well} | baseline, ≥ {well} |"
    )
    say("|---|---|---|---|---|---|---|")
    for g in gov:
        say(
            f"| government {g} (trained on the other two) | {figures[f'government {g}']:.3f} | "
            f"{gov[g]:.3f} | {gov_base[g]:.3f} | | | |"
        )
    say(
        f"| **leave-one-government-out, mean of three** | "
        f"**{figures['leave-one-government-out, mean']:.3f}** | "
        f"{sum(gov.values()) / 3:.3f} | {sum(gov_base.values()) / 3:.3f} | | | |"
    )
    lexicon_all, baseline_all = evaluate(*lexicon), evaluate(*baseline)
    pooled_others = (
        f"{macro_f1(lexicon_all):.3f} | {macro_f1(baseline_all):.3f}",
        f"{macro_f1(lexicon_all, well):.3f} | {macro_f1(baseline_all, well):.3f}",
    )
    for split_name, label in (
        ("leave-one-government-out", "leave-one-government-out, pooled"),
        ("leave-countries-out", "**leave-countries-out (5 folds of 2 countries), pooled**"),
    ):
        whole = f"{figures[f'{split_name}, pooled']:.3f}"
        if label.startswith("**"):
            whole = f"**{whole}**"
        say(
            f"| {label} | {whole} | {pooled_others[0]} | "
            f"{figures[f'{split_name}, pooled, ≥ {well}']:.3f} | {pooled_others[1]} |"
        )
    say(
        f"| leave-countries-out, mean of five folds | "
        f"{figures['leave-countries-out, mean']:.3f} | | | | | |"
    )
    say("")
    say("In-sample (the shipped model has seen these paragraphs; not a measure of accuracy):")
    say("")
    say(
        "| split | engine, in-sample | lexicon alone | baseline "
        "| engine in-sample, categories ≥ 30 paragraphs | lexicon, ≥ 30 | baseline, ≥ 30 |"
    )
    say("|---|---|---|---|---|---|---|")
    for name, keep in splits.items():
        mine = evaluate(*engine, keep)
        lex = evaluate(*lexicon, keep)
        theirs = evaluate(*baseline, keep)
        say(
            f"| {name} | {macro_f1(mine):.3f} | {macro_f1(lex):.3f} | {macro_f1(theirs):.3f} | "
            f"{macro_f1(mine, 30):.3f} | {macro_f1(lex, 30):.3f} | {macro_f1(theirs, 30):.3f} |"
        )
    say("")
    unseen_pages = advisory_pages(ADVISORIES, UNSEEN_FILES)
    unseen = {
        name: classify_pages(unseen_pages, classifier)
        for name, classifier in (
            ("engine", engine_page_classifier),
            ("lexicon", lexicon_page_classifier),
            ("baseline", lambda texts: [keyword_baseline(t) for t in texts]),
        )
    }
    say("### Two governments the engine never saw (Ireland, United States)")
    say("")
    say(
        f"{len(unseen['engine'][0])} paragraphs labelled by their headings (Ireland) or bold "
        f"lead-ins (United States, the lead-in cut from the text) on {len(unseen_pages)} pages "
        "(Ireland Safety and security, Natural disasters and climate; US Safety and Security, "
        "Travel and Transportation). No lexicon cue was written from these pages and the model "
        "never trains on them: this is held out for the whole shipped engine."
    )
    say("")
    say(
        "| government | paragraphs | engine | lexicon alone | keyword baseline "
        "| engine, categories ≥ 10 paragraphs | lexicon, ≥ 10 | baseline, ≥ 10 |"
    )
    say("|---|---|---|---|---|---|---|---|")
    for government in [*UNSEEN_FILES, None]:

        def keep(p, g=government):  # type: ignore[no-untyped-def]
            return g is None or p.government == g

        scored = {name: evaluate(*found, keep) for name, found in unseen.items()}
        size = sum(1 for p in unseen["engine"][0] if keep(p))
        say(
            f"| {government or '**both, pooled**'} | {size} | "
            + " | ".join(f"{macro_f1(scored[n]):.3f}" for n in scored)
            + " | "
            + " | ".join(f"{macro_f1(scored[n], 10):.3f}" for n in scored)
            + " |"
        )
    say("")
    say("Per category on the unseen governments, pooled (F1; support = labelled paragraphs):")
    say("")
    say("| category | support | engine P | engine R | engine F1 | lexicon F1 | baseline F1 |")
    say("|---|---|---|---|---|---|---|")
    rows = {n: {r["category"]: r for r in evaluate(*f).as_rows()} for n, f in unseen.items()}
    for code, row in rows["engine"].items():
        say(
            f"| {code} | {row['support']} | {row['precision']:.2f} | {row['recall']:.2f} | "
            f"{row['f1']:.2f} | {rows['lexicon'][code]['f1']:.2f} | "
            f"{rows['baseline'][code]['f1']:.2f} |"
        )
    say("")
    say(
        "Per category, all three governments, leave-one-government-out for the engine "
        "(P / R / F1; support = labelled paragraphs), and the engine's F1 leave-countries-out:"
    )
    say("")
    say(
        "| category | support | engine P | engine R | engine F1 | engine F1, countries out "
        "| lexicon F1 | baseline P | baseline R | baseline F1 |"
    )
    say("|---|---|---|---|---|---|---|---|---|---|")
    _, pooled = held_out(data, lambda p: p.government)
    _, by_country = held_out(data, country_fold([e.paragraph.country for e in data]))
    country_rows = {r["category"]: r for r in by_country.as_rows()}
    mine_rows = {r["category"]: r for r in pooled.as_rows()}
    lex_rows = {r["category"]: r for r in evaluate(*lexicon).as_rows()}
    base_rows = {r["category"]: r for r in evaluate(*baseline).as_rows()}
    for code, row in mine_rows.items():
        other = base_rows[code]
        say(
            f"| {code} | {row['support']} | {row['precision']:.2f} | {row['recall']:.2f} | "
            f"{row['f1']:.2f} | {country_rows[code]['f1']:.2f} | {lex_rows[code]['f1']:.2f} | "
            f"{other['precision']:.2f} | "
            f"{other['recall']:.2f} | {other['f1']:.2f} |"
        )

    seed = SEED.read_text(encoding="utf-8")
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    scores = score_draft(extract(seed), gold)
    say("")
    say("### Seed field assessment against the hand-made gold (tests/gold)")
    say("")
    say("| field | precision | recall | F1 |")
    say("|---|---|---|---|")
    for field, score in scores.items():
        say(f"| {field} | {score.precision:.2f} | {score.recall:.2f} | {score.f1:.2f} |")
    peru = score_draft(extract(seed, country="PE"), gold)["places"]
    say(
        f'| places, read for an assessment of Peru (`country="PE"`: its subdivisions in '
        f"threat sentences coded) | {peru.precision:.2f} | {peru.recall:.2f} | {peru.f1:.2f} |"
    )
    base_sentences = [
        {"text": s.text, "categories": [{"code": c} for c in sorted(keyword_baseline(s.text))]}
        for s in split_sentences(seed)
    ]
    base_scores = score_draft(
        {
            "sentences": base_sentences,
            **{k: [] for k in ("places", "actors", "incidents", "recommendations")},
            **{k: [] for k in ("trends", "likelihood", "credibility")},
        },
        gold,
    )
    say(
        f"| categories, keyword baseline | {base_scores['categories'].precision:.2f} | "
        f"{base_scores['categories'].recall:.2f} | {base_scores['categories'].f1:.2f} |"
    )

    spacy_rows = spacy_side_by_side(seed, gold) if available_model() else None

    # Speed: every advisory page (all five governments' safety pages, no labels needed).
    texts = [p.read_text(encoding="utf-8") for p in sorted(ADVISORIES.glob("*/*/*.md"))]
    sentence_count = sum(len(split_sentences(t)) for t in texts)
    for text in texts[:3]:
        extract(text)  # warm: lexicons compiled, gazetteer loaded
    start = time.process_time()
    for text in texts:
        extract(text)
    engine_seconds = time.process_time() - start
    engine_rss = rss_mib()
    start = time.process_time()
    for text in texts:
        for sentence in split_sentences(text):
            keyword_baseline(sentence.text)
    baseline_seconds = time.process_time() - start
    say("")
    say("### Speed and memory (one core, after start-up)")
    say("")
    say(f"Corpus: {len(texts)} advisory pages, {sum(map(len, texts)):,} characters, ")
    say(f"{sentence_count:,} sentences; CPU time of one process.")
    say("")
    say("| what | sentences/s |")
    say("|---|---|")
    say(f"| engine: full draft (all fields) | {sentence_count / engine_seconds:,.0f} |")
    say(f"| keyword baseline: categories only | {sentence_count / baseline_seconds:,.0f} |")
    if spacy_rows is not None:
        model = available_model()
        start = time.process_time()
        for text in texts:
            extract(text, use_model=True)
        with_model_seconds = time.process_time() - start
        start = time.process_time()
        for _ in pipeline(str(model)).pipe(texts):
            pass
        spacy_seconds = time.process_time() - start
        say(
            f"| engine + spaCy `{model}` (full draft) | "
            f"{sentence_count / with_model_seconds:,.0f} |"
        )
        say(
            f"| spaCy `{model}` pipeline alone (`nlp.pipe`) | "
            f"{sentence_count / spacy_seconds:,.0f} |"
        )
    say("")
    say(
        f"Peak resident memory of the benchmark process after the engine's runs: "
        f"{engine_rss:.0f} MiB (Python with the benchmark's imports before loading the engine: "
        f"{rss_start:.0f} MiB)"
        + (
            f"; after the spaCy runs over the same pages: {rss_mib():.0f} MiB."
            if spacy_rows is not None
            else "."
        )
    )
    if spacy_rows is not None:
        say("")
        say(f"### Side by side with spaCy's small English pipeline (`{available_model()}`)")
        say("")
        say(
            "On the seed against the hand-made gold. The pipeline alone: its `GPE`/`LOC` "
            "entities as places (ISO code by the gazetteer's exact name, else none) and its "
            "`ORG` entities as actors; it has no threat categories, trends or recommendations. "
            "The engine with it: the lexicon engine plus the pipeline's unknown places and "
            "named groups (`riskatlas/extraction/model.py`)."
        )
        say("")
        say("| field | lexicon engine P / R / F1 | engine + spaCy | spaCy pipeline alone |")
        say("|---|---|---|---|")
        for field, row in spacy_rows.items():
            say(f"| {field} | " + " | ".join(row) + " |")
    say("")
    say("### Start-up: one `riskatlas extract` call on the seed, whole process")
    say("")
    say("| case | wall time (median) | CPU time (median) |")
    say("|---|---|---|")
    for label, (wall, cpu) in cold_start().items():
        say(f"| {label} | {wall:.2f} s | {cpu:.2f} s |")
    say("")
    say(
        f"spaCy installed: {'yes' if importlib.util.find_spec('spacy') else 'no'}; English "
        f"pipeline: {available_model() or 'none'}."
    )
    print("\n".join(out))


if __name__ == "__main__":
    main()
