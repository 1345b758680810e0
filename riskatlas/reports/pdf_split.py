"""The report's print HTML cut into parts at the page breaks it already has, so that the PDF can
be laid out a part at a time (WeasyPrint keeps every laid-out page of a document until it writes
it: memory follows the largest part, not the whole report) and two parts at a time on two
cores. ``pdf_parts.py`` renders the parts and joins their PDFs.

The cuts: the front (cover, contents and the sections before the first page break: section 1,
which follows the contents on the same page, and the executive summary after it) is one part;
then each section that starts a new page (``PAGE_SECTIONS``, the sections ``print.css`` breaks
before) starts a part, with the sections after it that share its pages; a long risk register
is cut between risks (``RISKS_PER_PART``), each piece a table with its header repeated, as the
single-pass table repeats it on every page.

Each part is a whole HTML document: the report's head (styles), the running title and marking
(for the page headers) and its share of ``<main>``. Links to an anchor in another part are
written ``riskatlas-anchor:NAME`` so that WeasyPrint keeps them (as a URI link); the join turns
them back into links to the named destination."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

# The sections print.css starts on a new page (``break-before: page``); a test holds them equal.
PAGE_SECTIONS = frozenset(
    {"method", "context", "threats", "register", "mitigation", "levels", "annexes"}
)
RISKS_PER_PART = 40
# Characters of print HTML from which the report goes in parts (``pdf_parts``). The Peru
# example (18 risks, 341,000) stays in one pass: in parts it took 12-23 % more CPU and, on the
# shared 2-core machine, no less wall time (docs/benchmarks.md); 180 risks (3.4 M) is quicker
# in parts. Here, not in ``pdf_parts``, so that Chromium's print can read it without loading
# pypdf before the HTML is built (about 0.15 s on the cold command's path).
PARTS_FROM = 1_000_000
ANCHOR_SCHEME = "riskatlas-anchor:"

_SECTION = re.compile(r'<section class="section section-([a-z0-9-]+)">')
_FIRST_PAGE_RULE = re.compile(r"^@page :first \{.*?^\}\n?", re.MULTILINE | re.DOTALL)
_RISK = '<tbody class="risk"'
_REGISTER_TABLE = '<table class="grid register">'

# After print.css in every part: the page number is stamped after joining (``pdf_parts``),
# as "page N of M" needs the whole document's count.
NO_PAGE_NUMBER = "@page { @bottom-right { content: none; } }"
FIRST_SECTION_UNBROKEN = (
    "main > .section:first-child { break-before: auto; }\n"
    # The running title and marking set the headers' text; drawn (clipped) only once, as in
    # the single pass, so that the text of a part's first page is the same.
    ".running-title, .running-marking { visibility: hidden; }"
)
# In the front: the contents' page numbers are written in (``data-page``), as their targets
# lie in other parts.
WRITTEN_CONTENTS_NUMBERS = (
    '.toc a[data-page]::after { content: leader(dotted) " " attr(data-page); color: #6b7785; }'
)


@dataclass(frozen=True)
class SplitReport:
    head: str  # up to and including </style>, without the closing </head>
    body_open: str  # the <body …> tag and the running title and marking
    front: str  # cover, contents and the sections before the first page break
    bodies: list[str]  # each part's share of <main>, the report's footer on the last


def split(html: str, risks_per_part: int = RISKS_PER_PART) -> SplitReport:
    """The report's print HTML (``render._html(doc, "pdf")``) cut into parts."""
    head, rest = html.split("</head>", 1)
    body_start = rest.index("<body")
    marking = rest.index('<div class="running-marking">', body_start)
    cover = rest.index("</div>", marking) + len("</div>\n")
    body_open = rest[body_start:cover]
    main_open = rest.index("<main>", cover)
    main_close = rest.rindex("</main>")
    front = rest[cover:main_open]
    tail = rest[main_close + len("</main>") :].replace("</body>", "").replace("</html>", "")
    groups: list[list[str]] = [[]]
    inner = rest[main_open + len("<main>") : main_close]
    starts = [m.start() for m in _SECTION.finditer(inner)] + [len(inner)]
    for start, end in itertools.pairwise(starts):
        section = inner[start:end]
        name = _SECTION.match(section)
        assert name is not None
        if name.group(1) in PAGE_SECTIONS and groups[-1]:
            groups.append([])
        if name.group(1) == "register":
            pieces = _register_pieces(section, risks_per_part)
            groups[-1].append(pieces[0])
            groups.extend([piece] for piece in pieces[1:])
        else:
            groups[-1].append(section)
    front_main = "".join(groups[0]) if not _page_section(groups[0]) else ""
    if front_main:
        groups = groups[1:]
    bodies = ["<main>\n" + "".join(g) + "</main>\n" for g in groups if g]
    bodies[-1] += tail
    return SplitReport(
        head=head,
        body_open=body_open,
        front=front + "<main>\n" + front_main + "</main>\n",
        bodies=bodies,
    )


def _page_section(group: list[str]) -> bool:
    name = _SECTION.match(group[0]) if group else None
    return bool(name and name.group(1) in PAGE_SECTIONS)


def _register_pieces(section: str, risks_per_part: int) -> list[str]:
    """The register section cut between risks: the first piece keeps the heading, the heat
    maps and the caption, each piece is a whole table with the header, the last keeps what
    follows the table."""
    if _REGISTER_TABLE not in section or section.count(_RISK) <= risks_per_part:
        return [section]
    table = section.index(_REGISTER_TABLE)
    first_risk = section.index(_RISK, table)
    table_head = section[table:first_risk]
    table_end = section.index("</table>", first_risk)
    risks = section[first_risk:table_end].split(_RISK)[1:]
    chunks = [risks[i : i + risks_per_part] for i in range(0, len(risks), risks_per_part)]
    opening = _SECTION.match(section)
    assert opening is not None
    pieces = []
    for number, chunk in enumerate(chunks):
        before = section[:first_risk] if number == 0 else opening.group(0) + "\n" + table_head
        rows = "".join(_RISK + risk for risk in chunk)
        after = section[table_end:] if number == len(chunks) - 1 else "</table>\n</section>\n"
        pieces.append(before + rows + after)
    return pieces


_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'\bhref="#([^"]+)"')


def part_html(report: SplitReport, body: str, front: bool, pages: Mapping[str, object]) -> str:
    """One part as a whole HTML document. ``pages`` gives the contents their page numbers
    (for the front); links to anchors outside the part become ``riskatlas-anchor:`` links."""
    css = NO_PAGE_NUMBER
    head = report.head
    if front:
        css += "\n" + WRITTEN_CONTENTS_NUMBERS
        body = _numbered_contents(body, pages)
    else:
        # Only the report's first page is the cover: a part's first page is an ordinary page.
        # and its first section breaks before nothing (else its first page would be empty).
        head = _FIRST_PAGE_RULE.sub("", head)
        css += "\n" + FIRST_SECTION_UNBROKEN
    head = head.replace("</style>", css + "\n</style>", 1)
    anchors = set(_ID.findall(body)) | set(_ID.findall(report.body_open))

    def link(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group(0) if name in anchors else f'href="{ANCHOR_SCHEME}{name}"'

    body = _HREF.sub(link, body)
    return head + "</head>\n" + report.body_open + body + "</body>\n</html>\n"


def _numbered_contents(front: str, pages: Mapping[str, object]) -> str:
    """The contents' links with their target's page number in ``data-page``."""
    start = front.index('<nav class="toc"')
    end = front.index("</nav>", start)

    def number(match: re.Match[str]) -> str:
        page = pages.get(match.group(1))
        return match.group(0) if page is None else f'{match.group(0)} data-page="{page}"'

    return front[:start] + _HREF.sub(number, front[start:end]) + front[end:]


def contents_anchors(report: SplitReport) -> list[str]:
    """The anchors the contents link to, in order."""
    start = report.front.index('<nav class="toc"')
    return _HREF.findall(report.front[start : report.front.index("</nav>", start)])


__all__ = [
    "ANCHOR_SCHEME",
    "PAGE_SECTIONS",
    "SplitReport",
    "contents_anchors",
    "part_html",
    "split",
]
