from xml.etree import ElementTree

from grassroots.core.charts import Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_accessible_svg_without_inline_styles():
    svg = bar_chart(
        chart_id="c1",
        title="Kết nạp <hằng năm>",
        labels=["2013", "2014"],
        series=[Series("Chính thức", [0, 1023], "#1b7f3b"), Series("Dự bị", [5, 7], "#e0a100")],
    )
    root = ElementTree.fromstring(str(svg))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1"
    assert root.find(f"{SVG}title").text == "Kết nạp <hằng năm>"  # escaped, then parsed back
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "2013 — Chính thức: 0",
        "2013 — Dự bị: 5",
        "2014 — Chính thức: 1.023",
        "2014 — Dự bị: 7",
    ]
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == 0 and heights[2] == max(heights)
    assert "style" not in str(svg)


def test_empty_chart_still_renders():
    svg = bar_chart(chart_id="c2", title="Trống", labels=[], series=[Series("Kết nạp", [], "#000")])
    assert ElementTree.fromstring(str(svg)).find(f"{SVG}title").text == "Trống"
