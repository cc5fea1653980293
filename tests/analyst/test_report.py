"""`newswh report`: one self-contained HTML page that a browser renders offline without errors.

The page is opened in headless Chromium (Debian package `chromium`) with every host name
unresolvable, so a chart that needed a CDN would not draw."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from plotly.offline import get_plotlyjs

from ingest.report import render_report
from tests.published_warehouse import PublishedWarehouse

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: nothing may come from the network
    "--virtual-time-budget=15000",
    "--window-size=1400,2000",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


def browse(page: Path, tmp_path: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *mode,
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def report(published_warehouse: PublishedWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site" / "index.html"
    dbt_docs = out.parent.parent / "dbt" / "target" / "index.html"
    dbt_docs.parent.mkdir(parents=True)
    dbt_docs.write_text("<html>dbt docs</html>")
    summary = render_report(published_warehouse.published, out, dbt_docs=dbt_docs)
    assert summary.links["dbt docs"] == "../dbt/target/index.html"
    assert summary.links["Data Docs (quality gate)"] is not None, "the gate run recorded no Data Docs"
    return out


def test_report_is_self_contained(report: Path) -> None:
    page = report.read_text()
    library = get_plotlyjs()
    assert page.count(library) == 1  # plotly.js inlined once, not once per chart
    rest = page.replace(library, "")
    assert not re.search(r"<script[^>]+src=", rest) and "cdn.plot.ly" not in rest
    assert rest.count("Plotly.newPlot") == 6
    for title in (
        "Top speakers",
        "Statements per month",
        "QuadClass",
        "CAMEO root",
        "co-mention network",
        "Alliance membership",
    ):
        assert title in page
    assert 'href="../dbt/target/index.html"' in page


def test_report_renders_every_chart_without_console_errors(report: Path, tmp_path: Path) -> None:
    proc = browse(report, tmp_path, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert not console, "\n".join(console)
    figures = len(re.findall(r'<div id="fig-\d+"', report.read_text()))
    assert figures == 6
    # plotly replaces each figure's div with a drawn plot: one plot container and its SVG layers
    assert proc.stdout.count('class="plot-container plotly"') == figures
    assert proc.stdout.count('class="main-svg"') >= 2 * figures


def test_report_screenshot_is_not_blank(report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    proc = browse(report, tmp_path, f"--screenshot={png}")
    assert proc.returncode == 0 and png.exists(), proc.stderr[-2000:]
    with Image.open(png) as image:
        assert image.size == (1400, 2000)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200, f"only {len(colours)} colours: a blank or unstyled page"
    background = max(colours)[0] / (1400 * 2000)
    assert background < 0.95, "the page is nearly all one colour"


def test_report_cli(published_warehouse: PublishedWarehouse, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ingest.cli import app

    out = tmp_path / "r" / "index.html"
    result = CliRunner().invoke(app, ["report", "--db", str(published_warehouse.published), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and re.search(r"6\s+charts", result.output)
    missing = CliRunner().invoke(app, ["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(out)])
    assert missing.exit_code == 2
