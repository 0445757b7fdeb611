"""Board packs: a selection and a list of items -> PowerPoint and PDF, offline.

A pack is a title, a :class:`~equity.selection.Selection` and an ordered list of
:class:`PackItem` (an item kind of :mod:`publish.pack_items`, its spec, a title and commentary).
:func:`render` builds every item for the selection and draws the charts to PNG with Kaleido and
the local Chromium (no internet: Plotly's own plotly.js, MathJax off); :func:`pptx_bytes` and
:func:`pdf_bytes` lay the slides out: a title slide, then one slide per item with its title, the
chart image (or the table), the commentary, the data date, the source and the disclosure note.

Tables arrive disclosure-controlled from :mod:`publish.pack_items` (below ICB level counts 1-4
hidden, others rounded to 5); nothing at person level is ever put in a pack.

Configs (for ``python -m equity boardpack``) are JSON or TOML::

    title = "Early-years equity: board pack"
    [selection]            # any Selection field; dates YYYY-MM-DD; omitted = default
    places = ["Blackpool"]
    [[items]]
    kind = "spc"
    title = "Referrals, Blackpool"
    commentary = "..."
    spec = { measure = "referrals", area = "Blackpool" }
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import re
import shutil
import tomllib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from charts.describe import describe
from charts.export import for_export
from equity.dashboard import StoreInfo, store_info
from equity.display import DISCLOSURE_NOTE
from equity.selection import Selection, SelectionError
from equity.settings import Settings
from publish import pack_items
from publish.pack_items import ItemContent, PackItemError

#: Chromium installed by the set-up (``make browser``: Debian ``chromium``); then the usual names.
BROWSER_CANDIDATES: tuple[str, ...] = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
#: Charts are drawn at 960 x 590 CSS pixels (the slide's picture box is 8.9 x 5.45 in), scale 2.5:
#: 14 px chart text prints at about 9 pt.
IMAGE_WIDTH = 960
IMAGE_HEIGHT = 590
IMAGE_SCALE = 2.5
TABLE_ROWS_PER_SLIDE = 16
NHS_BLUE = "#005EB8"
GREY = "#425563"


class BoardPackError(Exception):
    """The pack cannot be built; the message says which part and why."""


@dataclass(frozen=True)
class PackItem:
    kind: str
    spec: Mapping = field(default_factory=dict)
    title: str = ""
    commentary: str = ""


@dataclass(frozen=True)
class BoardPack:
    title: str
    selection: Selection
    items: tuple[PackItem, ...]
    subtitle: str = ""


@dataclass(frozen=True)
class Slide:
    """One rendered item: its content, the chart as PNG (None for a table) and any error text."""

    item: PackItem
    content: ItemContent | None
    image: bytes | None = None
    error: str = ""

    @property
    def title(self) -> str:
        if self.item.title:
            return self.item.title
        return self.content.title if self.content else self.item.kind


# --------------------------------------------------------------------------------------------
# configs


def selection_to_dict(selection: Selection) -> dict:
    """A JSON-ready dict of the selection (dates as YYYY-MM-DD, tuples as lists)."""
    return selection.to_dict()


def selection_from_dict(values: Mapping) -> Selection:
    """The config's ``[selection]`` table as a Selection (``Selection.from_dict``); a bad field is a
    :class:`BoardPackError` naming it."""
    try:
        return Selection.from_dict(values)
    except SelectionError as exc:
        if exc.field:
            raise BoardPackError(f"selection.{exc.field}: {str(exc).removeprefix(exc.field + ': ')}") from None
        raise BoardPackError(f"selection: {exc}") from None


def pack_to_config(pack: BoardPack) -> dict:
    """The pack as a JSON-ready config (what the app offers as "download config")."""
    return {
        "title": pack.title,
        "subtitle": pack.subtitle,
        "selection": selection_to_dict(pack.selection),
        "items": [
            {"kind": item.kind, "title": item.title, "commentary": item.commentary, "spec": dict(item.spec)}
            for item in pack.items
        ],
    }


def pack_from_config(config: Mapping) -> BoardPack:
    """A pack from a config dict, every item checked (kind and spec) before any data is read."""
    if not isinstance(config, Mapping):
        raise BoardPackError("the config must be a table/object with title, selection and items")
    unknown = sorted(set(config) - {"title", "subtitle", "selection", "items"})
    if unknown:
        raise BoardPackError(f"config: unknown key(s) {', '.join(unknown)}")
    items_in = config.get("items") or []
    if not isinstance(items_in, list) or not items_in:
        raise BoardPackError("config: 'items' must be a non-empty list")
    items = []
    for number, raw in enumerate(items_in, start=1):
        if not isinstance(raw, Mapping) or "kind" not in raw:
            raise BoardPackError(f"item {number}: each item needs a 'kind'")
        extra = sorted(set(raw) - {"kind", "spec", "title", "commentary"})
        if extra:
            raise BoardPackError(f"item {number}: unknown key(s) {', '.join(extra)}")
        spec = dict(raw.get("spec") or {})
        try:
            pack_items.validate(str(raw["kind"]), spec)
        except PackItemError as exc:
            raise BoardPackError(f"item {number}: {exc}") from None
        items.append(
            PackItem(
                kind=str(raw["kind"]),
                spec=spec,
                title=str(raw.get("title") or ""),
                commentary=str(raw.get("commentary") or ""),
            )
        )
    return BoardPack(
        title=str(config.get("title") or "Early-years equity: board pack"),
        subtitle=str(config.get("subtitle") or ""),
        selection=selection_from_dict(config.get("selection") or {}),
        items=tuple(items),
    )


def config_from_text(text: str, name: str = "config") -> BoardPack:
    """A pack from the text of a JSON or TOML config; ``name`` (a file name) picks the format by its
    suffix (.json / .toml), otherwise JSON is tried first."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".toml":
            config = tomllib.loads(text)
        elif suffix == ".json":
            config = json.loads(text)
        else:
            try:
                config = json.loads(text)
            except json.JSONDecodeError:
                config = tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BoardPackError(f"config {name} is not valid JSON or TOML: {exc}") from None
    try:
        return pack_from_config(config)
    except BoardPackError as exc:
        raise BoardPackError(f"config {name}: {exc}") from None


def load_config(path: Path) -> BoardPack:
    """Read a JSON (``.json``) or TOML (``.toml``) pack config file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BoardPackError(f"cannot read config {path}: {exc.strerror or exc}") from None
    return config_from_text(text, path.name)


# --------------------------------------------------------------------------------------------
# chart images


def browser_path(preferred: str | None = None) -> str:
    """The Chromium to draw charts with: ``preferred`` (which must exist), else the first of
    :data:`BROWSER_CANDIDATES` found."""
    if preferred:
        found = preferred if Path(preferred).is_file() else shutil.which(preferred)
        if not found:
            raise BoardPackError(f"no browser at {preferred!r} to draw the charts")
        return str(found)
    for candidate in BROWSER_CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return str(found)
    raise BoardPackError(
        "no Chromium found to draw the charts (looked for " + ", ".join(BROWSER_CANDIDATES) + "); "
        "install it with `make browser` (Debian package chromium)"
    )


def figures_to_png(
    figures: Sequence[go.Figure],
    *,
    width: int = IMAGE_WIDTH,
    height: int = IMAGE_HEIGHT,
    scale: float = IMAGE_SCALE,
    browser: str | None = None,
) -> list[bytes]:
    """PNG images of ``figures``, drawn by Kaleido in one local Chromium (offline: Plotly's bundled
    plotly.js, no MathJax). Runs in its own thread, so it works inside a running event loop."""
    if not figures:
        return []
    import kaleido

    path = browser_path(browser)
    opts = {"format": "png", "width": width, "height": height, "scale": scale}

    async def draw() -> list[bytes]:
        async with kaleido.Kaleido(path=path, mathjax=False, n=1, timeout=120) as k:
            return [await k.calc_fig(fig, opts=opts) for fig in figures]

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(lambda: asyncio.run(draw())).result()
    except Exception as exc:  # Kaleido/Chromium failures come in many types; name the browser
        raise BoardPackError(f"drawing the charts with {path} failed: {type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------------------------
# render


def render(settings: Settings, pack: BoardPack, *, images: bool = True, browser: str | None = None) -> list[Slide]:
    """Build every item for the pack's selection and draw the charts. An item that cannot be built
    (e.g. too few months for an SPC chart) becomes a slide that says why, instead of failing the pack."""
    slides: list[Slide] = []
    for item in pack.items:
        try:
            content = pack_items.build(item.kind, settings, pack.selection, item.spec)
            slides.append(Slide(item=item, content=content))
        except PackItemError as exc:
            titled = PackItem(
                item.kind, item.spec, item.title or pack_items.default_title(item.kind, item.spec, pack.selection),
                item.commentary,
            )
            slides.append(Slide(item=titled, content=None, error=str(exc)))
    if images:
        drawn = [s for s in slides if s.content is not None and s.content.figure is not None]
        pngs = figures_to_png(
            [for_export(s.content.figure, width=IMAGE_WIDTH) for s in drawn],  # type: ignore[union-attr]
            browser=browser,
        )
        by_id = {id(s): png for s, png in zip(drawn, pngs, strict=True)}
        slides = [Slide(s.item, s.content, by_id.get(id(s)), s.error) for s in slides]
    return slides


def alt_text(slide: Slide) -> str:
    """The chart picture's text alternative: the sentence shown under the chart in the app
    (:func:`charts.describe.describe`)."""
    figure = slide.content.figure if slide.content is not None else None
    return describe(figure) if figure is not None else slide.title


def footer_text(info: StoreInfo, selection: Selection) -> str:
    return f"Data date {info.data_date} · {selection.describe()} · {pack_items.source_text(info)}"


def file_stem(pack: BoardPack, info: StoreInfo) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", pack.title.lower()).strip("_") or "board_pack"
    return f"{slug[:60]}_{info.data_date or 'nodata'}"


def _table_chunks(table, rows: int = TABLE_ROWS_PER_SLIDE) -> list[tuple[int, pd.DataFrame | None]]:
    return [(start, table.iloc[start : start + rows]) for start in range(0, max(len(table), 1), rows)]


@dataclass(frozen=True)
class _Page:
    slide: Slide
    part: int  # 0 for the first page of an item, 1, 2, ... for continuation pages of a long table
    start: int  # first table row on the page
    chunk: pd.DataFrame | None  # the table rows on the page, or None


def _pages(slides: Sequence[Slide]) -> list[_Page]:
    """Every page after the title page: one per item, more for tables longer than a page."""
    pages = []
    for slide in slides:
        table = slide.content.table if slide.content is not None else None
        chunks = _table_chunks(table) if table is not None else [(0, None)]
        pages += [_Page(slide, part, start, chunk) for part, (start, chunk) in enumerate(chunks)]
    return pages


def _contents(pages: Sequence[_Page]) -> list[str]:
    return [f"{number}. {page.slide.title}" for number, page in enumerate(pages, start=2) if page.part == 0]


def _demo_warning(info: StoreInfo) -> str:
    return "DEMO DATA: synthetic referrals, not real patients." if info.kind == "demo" else ""


# --------------------------------------------------------------------------------------------
# PowerPoint


def pptx_bytes(pack: BoardPack, slides: Sequence[Slide], info: StoreInfo) -> bytes:
    """The pack as a 16:9 PowerPoint file."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    def rgb(hex_colour: str) -> RGBColor:
        return RGBColor.from_string(hex_colour.lstrip("#").upper())

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    prs.core_properties.title = pack.title
    prs.core_properties.author = "L&SC early-years equity dashboard"
    prs.core_properties.subject = pack.selection.describe()

    def text(slide, left, top, width, height, paragraphs, *, size=12, colour=GREY, bold=False):
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for i, para in enumerate(paragraphs):
            content, opts = para if isinstance(para, tuple) else (para, {})
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = p.add_run()
            run.text = content
            run.font.size = Pt(opts.get("size", size))
            run.font.bold = opts.get("bold", bold)
            run.font.color.rgb = rgb(opts.get("colour", colour))
            run.font.name = "Arial"
        return box

    footer = footer_text(info, pack.selection)

    pages = _pages(slides)

    def furniture(slide, number: int) -> None:
        text(slide, 0.4, 6.55, 12.1, 0.9, [footer, DISCLOSURE_NOTE], size=9)
        text(slide, 12.4, 7.05, 0.8, 0.3, [f"{number}/{len(pages) + 1}"], size=9)

    first = prs.slides.add_slide(blank)
    lines = [
        (pack.title, {"size": 36, "bold": True, "colour": NHS_BLUE}),
        (pack.subtitle or "Infant and early-years (0-5) mental health: equity of referral and access", {"size": 18}),
        (f"Selection: {pack.selection.describe()}", {"size": 14}),
        (f"Data date: {info.data_date} · prepared {dt.date.today():%d %B %Y}", {"size": 14}),
    ]
    if _demo_warning(info):
        lines.append((_demo_warning(info), {"size": 14, "bold": True, "colour": "#D5281B"}))
    text(first, 0.8, 1.2, 11.7, 3.0, lines)
    contents = [("Contents", {"size": 14, "bold": True})] + [(line, {"size": 12}) for line in _contents(pages)]
    text(first, 0.8, 3.9, 11.7, 2.6, contents)
    furniture(first, 1)

    for number, page in enumerate(pages, start=2):
        slide_data = page.slide
        slide = prs.slides.add_slide(blank)
        title = slide_data.title + (" (continued)" if page.part else "")
        text(slide, 0.4, 0.2, 12.5, 0.8, [(title, {"size": 26, "bold": True, "colour": NHS_BLUE})])
        content = slide_data.content
        if content is None:
            text(slide, 0.4, 1.1, 8.9, 1.5, [f"This item could not be built: {slide_data.error}"], size=14)
        elif slide_data.image is not None:
            image = io.BytesIO(slide_data.image)
            picture = slide.shapes.add_picture(image, Inches(0.4), Inches(1.05), width=Inches(8.9))
            picture._element.nvPicPr.cNvPr.set("descr", alt_text(slide_data))  # the picture's alt text
        elif page.chunk is not None:
            _pptx_table(slide, page.chunk, page.start, content.cell_colours, rgb)
            text(slide, 0.4, 0.8, 8.9, 0.3, [content.subtitle], size=11)
        elif content.figure is not None:
            text(slide, 0.4, 1.1, 8.9, 1.0, ["(chart image not drawn)"], size=12)
        side = [("Commentary", {"size": 14, "bold": True, "colour": NHS_BLUE})]
        side.append((slide_data.item.commentary or "No commentary.", {"size": 13, "colour": "#212B32"}))
        if content is not None and content.notes:
            side.append(("", {"size": 6}))
            side.append((content.notes, {"size": 10}))
        text(slide, 9.55, 1.05, 3.4, 5.4, side)
        furniture(slide, number)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _pptx_table(slide, table, start: int, colours: Mapping, rgb) -> None:
    from pptx.util import Inches, Pt

    n_rows, n_cols = len(table) + 1, len(table.columns)
    widths = _column_weights(table)
    shape = slide.shapes.add_table(n_rows, n_cols, Inches(0.4), Inches(1.15), Inches(8.9), Inches(0.3 * n_rows))
    grid = shape.table
    for j, weight in enumerate(widths):
        grid.columns[j].width = Inches(8.9 * weight)
    for j, column in enumerate(table.columns):
        _cell(grid.cell(0, j), str(column), Pt(10), bold=True)
    for i, (_, row) in enumerate(table.iterrows(), start=1):
        for j, column in enumerate(table.columns):
            cell = grid.cell(i, j)
            _cell(cell, str(row[column]), Pt(9))
            colour = colours.get((start + i - 1, column))
            if colour:
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(colour)


def _cell(cell, value: str, size, bold: bool = False) -> None:
    cell.text = value
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = size
            run.font.bold = bold
            run.font.name = "Arial"
    cell.margin_left = cell.margin_right = 45720  # 0.05 in
    cell.margin_top = cell.margin_bottom = 22860


def _column_weights(table) -> list[float]:
    """Column widths in proportion to the longest value (or header word), capped so long text wraps."""
    lengths = []
    for column in table.columns:
        header_word = max(len(word) for word in str(column).split()) if str(column).split() else 1
        longest = max([header_word, *(len(str(v)) for v in table[column])])
        lengths.append(min(max(longest, 10), 28) + 3)
    total = sum(lengths)
    return [length / total for length in lengths]


# --------------------------------------------------------------------------------------------
# PDF

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _latin1(value: str) -> str:
    replacements = {"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "σ": "sigma", "≥": ">=", "≤": "<="}
    for old, new in replacements.items():
        value = value.replace(old, new)
    return value.encode("latin-1", "replace").decode("latin-1")


class _Pdf:
    """fpdf2 with DejaVu Sans when the system has it (full Unicode), else Helvetica (Latin-1)."""

    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(orientation="L", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.pdf.add_font("DejaVu", "", str(regular))
            self.pdf.add_font("DejaVu", "B", str(bold))
            self.family, self.clean = "DejaVu", (lambda s: s)
        else:
            self.family, self.clean = "Helvetica", _latin1

    def font(self, size: float, bold: bool = False, colour: str = GREY) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        c = colour.lstrip("#")
        self.pdf.set_text_color(int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16))

    def text(self, x: float, y: float, w: float, value: str, size: float, *, bold=False, colour=GREY, h=None):
        self.font(size, bold, colour)
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(w, h or size * 0.45, self.clean(value))


def pdf_bytes(pack: BoardPack, slides: Sequence[Slide], info: StoreInfo) -> bytes:
    """The pack as a landscape A4 PDF, one page per slide."""
    from fpdf import ViewerPreferences
    from fpdf.fonts import FontFace

    doc = _Pdf()
    pdf = doc.pdf
    pdf.set_title(doc.clean(pack.title))
    pdf.set_author("L&SC early-years equity dashboard")
    pdf.set_lang("en-GB")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)  # readers show the title, not the file name
    footer = footer_text(info, pack.selection)
    pages = _pages(slides)
    total = len(pages) + 1

    def furniture(number: int) -> None:
        doc.text(10, 182, 265, footer, 7.5)
        doc.text(10, pdf.get_y() + 1, 265, DISCLOSURE_NOTE, 7.5)
        doc.text(275, 200, 15, f"{number}/{total}", 7.5)

    pdf.add_page()
    doc.text(20, 30, 257, pack.title, 28, bold=True, colour=NHS_BLUE, h=12)
    doc.text(20, pdf.get_y() + 3, 257, pack.subtitle or "Infant and early-years (0-5) mental health: equity of "
             "referral and access", 15)
    doc.text(20, pdf.get_y() + 3, 257, f"Selection: {pack.selection.describe()}", 12)
    doc.text(20, pdf.get_y() + 2, 257, f"Data date: {info.data_date} · prepared {dt.date.today():%d %B %Y}", 12)
    if _demo_warning(info):
        doc.text(20, pdf.get_y() + 2, 257, _demo_warning(info), 12, bold=True, colour="#D5281B")
    doc.text(20, pdf.get_y() + 8, 257, "Contents", 12, bold=True)
    for line in _contents(pages):
        doc.text(20, pdf.get_y() + 1, 257, line, 10.5)
    furniture(1)

    for number, page in enumerate(pages, start=2):
        slide, part, start, chunk = page.slide, page.part, page.start, page.chunk
        pdf.add_page()
        doc.text(10, 8, 277, slide.title + (" (continued)" if part else ""), 18, bold=True, colour=NHS_BLUE, h=8)
        content = slide.content
        top = 24
        if content is None:
            doc.text(10, top, 190, f"This item could not be built: {slide.error}", 11)
        elif slide.image is not None:  # alt text: a tagged /Figure with /Alt (fpdf2 marks the PDF as tagged)
            pdf.image(io.BytesIO(slide.image), x=10, y=top, w=190, alt_text=doc.clean(alt_text(slide)))
        elif chunk is not None:
            doc.text(10, top - 4, 190, content.subtitle, 8.5)
            doc.font(7.5)
            weights = _column_weights(chunk)
            pdf.set_xy(10, top + 2)
            with pdf.table(
                width=190,
                col_widths=[w * 100 for w in weights],
                text_align="LEFT",
                line_height=3.6,
                headings_style=FontFace(emphasis="BOLD", fill_color=(232, 237, 238)),
                align="LEFT",
            ) as grid:
                header = grid.row()
                for column in chunk.columns:
                    header.cell(doc.clean(str(column)))
                for i, (_, row) in enumerate(chunk.iterrows()):
                    cells = grid.row()
                    for column in chunk.columns:
                        colour = content.cell_colours.get((start + i, column))
                        style = FontFace(fill_color=_rgb_tuple(colour)) if colour else None
                        cells.cell(doc.clean(str(row[column])), style=style)
        doc.text(205, top, 82, "Commentary", 12, bold=True, colour=NHS_BLUE)
        doc.text(205, pdf.get_y() + 1, 82, slide.item.commentary or "No commentary.", 10, colour="#212B32")
        if content is not None and content.notes:
            doc.text(205, pdf.get_y() + 3, 82, content.notes, 7.5)
        furniture(number)
    return bytes(pdf.output())


def _rgb_tuple(hex_colour: str) -> tuple[int, int, int]:
    c = hex_colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


# --------------------------------------------------------------------------------------------
# one call


FORMATS: tuple[str, ...] = ("pptx", "pdf")


def build(
    settings: Settings, pack: BoardPack, formats: Sequence[str] = FORMATS, *, browser: str | None = None
) -> tuple[dict[str, bytes], list[Slide]]:
    """Render the pack once and write each format: returns ({format: bytes}, slides)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise BoardPackError(f"format must be one of {', '.join(FORMATS)}, got {', '.join(bad)}")
    if not pack.items:
        raise BoardPackError("the pack has no items: add charts or tables first")
    info = store_info(settings.store_location)
    slides = render(settings, pack, browser=browser)
    files: dict[str, bytes] = {}
    if "pptx" in formats:
        files["pptx"] = pptx_bytes(pack, slides, info)
    if "pdf" in formats:
        files["pdf"] = pdf_bytes(pack, slides, info)
    return files, slides


def build_pptx(settings: Settings, selection: Selection, items: Sequence[PackItem], *, title: str) -> bytes:
    """Selection + items -> PowerPoint bytes."""
    return build(settings, BoardPack(title, selection, tuple(items)), ("pptx",))[0]["pptx"]


def build_pdf(settings: Settings, selection: Selection, items: Sequence[PackItem], *, title: str) -> bytes:
    """Selection + items -> PDF bytes."""
    return build(settings, BoardPack(title, selection, tuple(items)), ("pdf",))[0]["pdf"]
