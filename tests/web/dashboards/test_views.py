"""The dashboard pages, their CSV downloads (the same query as the page) and the report page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from crossings.analysis import panels
from crossings.analysis.indicators import parse_period
from crossings.web.dashboards import views
from crossings.web.dashboards.scope import aggregate_scope
from crossings.web.dashboards.sync import analytics_store
from tests.web.conftest import verified_browser

pytestmark = [pytest.mark.django_db, pytest.mark.store]
QUERY = {"country": "KHM", "period": "2025-H1", "flow": "from"}
EXTERNAL = re.compile(r"""(?:src|href|url)\s*=?\s*["'(]?\s*(?:https?:)?//""", re.IGNORECASE)


def test_pages_charts_and_csv_downloads(cambodia, demo_users):
    user = demo_users["khm-analyst"]
    browser = verified_browser(user)
    page = browser.get("/dashboards/flows/", QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("From KHM", "Through KHM", "To KHM", "Incidents it rests on",
                 'id="dashboard-data"', "/dashboards/assets/plotly.min.js",
                 "crossings/dashboards/dashboards.js", 'data-topojson="/static/'):
        assert text in html, text
    assert "<script>" not in html and not EXTERNAL.search(html)  # CSP: no inline, no CDN
    assert "KHM \\u003E THA" in html  # the route is in the chart data (escaped JSON)
    view = panels.View("KHM", parse_period("2025-H1"), "from")
    for name in panels.CHARTS:
        response = browser.get(f"/dashboards/data/{name}.csv", QUERY)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        expected = panels.chart(name, analytics_store(), aggregate_scope(user), view,
                                views.places())
        assert response.content.decode() == expected.to_csv(index=False), name
    trends = browser.get("/dashboards/trends/", QUERY).content.decode()
    assert "conditional binomial exact test of two Poisson rates" in trends
    assert "Spikes at crossing points" in trends and not EXTERNAL.search(trends)


def test_report_page_and_pdf(cambodia, demo_users):
    browser = verified_browser(demo_users["khm-analyst"])
    page = browser.get("/dashboards/report/", {**QUERY, "lang": "km"}).content.decode()
    assert "របាយការណ៍ស្ថានភាពអំពីការរត់ពន្ធជនចំណាកស្រុក" in page
    assert "/dashboards/report.pdf?" in page and not EXTERNAL.search(page)
    css = browser.get("/dashboards/assets/report.css").content.decode()
    assert "/dashboards/assets/fonts/NotoSansKhmer-Regular.ttf" in css
    font = browser.get("/dashboards/assets/fonts/NotoSansKhmer-Regular.ttf")
    assert font.status_code == 200
    pdf = browser.get("/dashboards/report.pdf", {**QUERY, "lang": "en"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_assets_are_served_here():
    client = Client()
    script = client.get("/dashboards/assets/plotly.min.js")
    assert script.status_code == 200
    assert b"plotly.js v" in b"".join(script.streaming_content)[:200]
    static = views.Path(views.__file__).parent / "static" / "crossings" / "dashboards"
    assert (static / "topojson" / "asia_50m.json").stat().st_size > 100_000
    assert not EXTERNAL.search((static / "dashboards.js").read_text())


def test_who_may_see_the_dashboards(demo_users):
    assert Client().get("/dashboards/flows/").status_code == 302  # to the login
    officer = verified_browser(demo_users["khm-officer"])
    assert officer.get("/dashboards/flows/", QUERY).status_code == 403
    assert officer.get("/dashboards/data/headline.csv", QUERY).status_code == 403
    analyst = verified_browser(demo_users["tha-analyst"])
    assert analyst.get("/dashboards/data/nothing.csv", QUERY).status_code == 404
    assert analyst.get("/dashboards/flows/", {"period": "2025-H9"}).status_code == 400


def test_the_report_command_writes_pdf_and_html(cambodia, tmp_path):
    from click.testing import CliRunner

    from crossings.cli import cli

    target = tmp_path / "khm.pdf"
    result = CliRunner().invoke(cli, ["report", "--country", "KHM", "--period", "2025-H1",
                                      "--lang", "km", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    assert "របាយការណ៍" in target.with_suffix(".html").read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["report", "--country", "KHM", "--period", "2025-X"])
    assert bad.exit_code == 2


@pytest.mark.parametrize(("flow", "khmer"), [("from", "ចេញពី"), ("through", "ឆ្លងកាត់"),
                                             ("to", "ទៅកាន់")])
def test_trends_heading_reads_whole_in_khmer(demo_users, flow, khmer):
    browser = verified_browser(demo_users["khm-analyst"])
    browser.cookies["django_language"] = "km"
    page = browser.get("/dashboards/trends/", {**QUERY, "flow": flow}).content.decode()
    heading = page[page.index("<h1>"):page.index("</h1>")]
    assert f"ការរត់ពន្ធជនចំណាកស្រុក {khmer} KHM" in heading and flow not in heading
