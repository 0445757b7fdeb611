"""The layout of charts drawn for the board pack (issue 16, point 6): the SPC chart's y-axis tick numbers
and title fit inside the picture, the title is set off from the numbers, the subtitle wraps clear of the
icons."""

import re

from charts.export import EXPORT_MARGIN_LEFT, SUBTITLE_CHARS, TITLE_STANDOFF, for_export
from equity.selection import Selection
from publish import pack_items
from publish.boardpack import IMAGE_WIDTH


def _subtitle_lines(fig) -> list[str]:
    text = fig.layout.title.text
    sup = re.search(r"<sup>(.*)</sup>", text, flags=re.S).group(1)
    return sup.split("<br>")


def test_exported_spc_chart_fits_its_axis_numbers_and_title(settings, demo_store):
    fig = pack_items.build("spc", settings, Selection(), {"measure": "referrals", "area": "ICB"}).figure
    assert fig.layout.margin.l == 10  # the screen layout: Plotly fits it to the window, a picture does not
    assert len(_subtitle_lines(fig)) == 1 and len(_subtitle_lines(fig)[0]) > SUBTITLE_CHARS
    out = for_export(fig, width=IMAGE_WIDTH)
    assert out.layout.yaxis.automargin is True and out.layout.xaxis.automargin is True
    assert out.layout.yaxis.title.standoff == TITLE_STANDOFF >= 10
    assert out.layout.margin.l >= EXPORT_MARGIN_LEFT
    assert all(len(line) <= SUBTITLE_CHARS for line in _subtitle_lines(out))
    assert out.layout.margin.t > fig.layout.margin.t  # room for the wrapped subtitle under the title
    assert fig.layout.margin.l == 10  # the screen figure is left as it was


def test_exported_maps_keep_their_margins(settings, demo_store):
    fig = pack_items.build("lsoa_map", settings, Selection(), {"metric": "referral_rate", "level": "place"}).figure
    out = for_export(fig)
    assert out.layout.margin.l == fig.layout.margin.l


def test_spc_small_multiples_of_the_four_places(settings, demo_store):
    from equity.settings import PLACES

    content = pack_items.build("spc_places", settings, Selection(places=("Blackpool",)), {"measure": "referrals"})
    fig = content.figure
    titles = [a.text for a in fig.layout.annotations if a.text and a.text.startswith("<b>")]
    assert [t.split("</b>")[0].removeprefix("<b>") for t in titles] == list(PLACES)  # all four, whatever is selected
    for place, title in zip(PLACES, titles, strict=True):
        # each panel's variation is the one the single-Place SPC chart reports
        single = pack_items.build("spc", settings, Selection(), {"measure": "referrals", "area": place})
        assert title.split(" · ")[1] in single.notes
    panels = {t.xaxis for t in fig.data if t.mode == "markers"}
    assert len(panels) == 4
    out = for_export(fig)
    assert all(len(line) <= SUBTITLE_CHARS for line in _subtitle_lines(out))
    assert out.layout.title.yref == "container" and out.layout.title.yanchor == "top"
