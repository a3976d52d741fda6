"""A learner's first gate in a real browser: JupyterLab, a live kernel, Debian's Chromium.

The learner opens the released 01-initiation notebook, runs it, fills the charter
builder, saves, runs the readiness check and reads the memo. The test asserts the
deliverable on disk and keeps screenshots in ``test-artifacts/`` (ignored by git).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from livepmo.autograder.course import nbgrader_api, new_course, notebook_path
from livepmo.deliverables import ProjectAssignment
from livepmo.storage import DeliverableStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# Cells run in a real kernel: a builder can take seconds to appear on a busy machine.
expect.set_options(timeout=60_000)

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
GATE = "01-initiation"
# The machine's network is closed: keep Chromium from reaching out (it would stall).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A learner's home: the released gate notebook and the project chosen in orientation."""
    course = new_course(tmp_path_factory.mktemp("course") / "course")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert nbgrader_api(course).generate_assignment(GATE)["success"]
    home = tmp_path_factory.mktemp("learner")
    (home / GATE).mkdir()
    shutil.copy(notebook_path(course, GATE, "release"), home / GATE)
    DeliverableStore(home / "00-orientation" / "deliverables").save(ProjectAssignment(
        scenario="erp-distributor", seed=0, learner="alice", assigned_on=dt.date.today()))
    return home


@pytest.fixture(scope="module")
def lab(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab serving the learner's home; its URL. Stopped with SIGTERM (kernels too)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    settings = tmp_path_factory.mktemp("settings")
    news = settings / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = _free_port()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("runtime"))}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={home}", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start")
                time.sleep(0.3)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def page(lab: str) -> Iterator[Page]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{lab}/lab/workspaces/learner/tree/{GATE}/{GATE}.ipynb?reset")
        yield page
        browser.close()


def _panel(page: Page):  # type: ignore[no-untyped-def]
    return page.locator(".jp-NotebookPanel:visible")


def _run_all(page: Page, panel) -> None:  # type: ignore[no-untyped-def]
    """Run > Run All Cells, as a learner does; again if the kernel was not ready to take it
    (a busy machine can show the notebook before its kernel connects)."""
    for _ in range(5):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(panel.locator(".jp-InputPrompt", has_text="[1]")).to_have_count(
                1, timeout=15_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    pytest.fail("Run All Cells never started the notebook's cells")


def test_a_learner_runs_the_gate_fills_the_charter_saves_and_checks_readiness(
    page: Page, home: Path
) -> None:
    panel = _panel(page)
    expect(panel.locator(".jp-Notebook")).to_be_visible()
    # The kernel is up when the notebook's execution indicator says idle.
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
    _run_all(page, panel)

    # The charter builder, drafted from the scenario.
    charter = panel.locator(".widget-vbox", has=page.locator("h3", has_text="Project charter"))
    charter = charter.first
    expect(charter).to_be_visible()
    expect(charter.get_by_label("Project name")).to_have_value(
        "ERP rollout at a family-owned food-service distributor (SAP S/4HANA Cloud, "
        "Netherlands)")
    page.screenshot(path=str(ARTIFACTS / "01-charter-builder.png"), full_page=False)

    # Save before naming the project manager: refused, the problem beside the field.
    charter.get_by_role("button", name="Save").click()
    expect(charter.get_by_text("Not saved")).to_be_visible()
    manager = charter.locator(".widget-vbox", has=page.locator("b", has_text="Project manager"))
    manager = manager.last
    expect(manager.get_by_text("fill it in")).to_be_visible()
    assert not (home / GATE / "deliverables" / "charter.json").exists()

    manager.get_by_label("Name", exact=True).fill("Alice Verhoeven")
    manager.get_by_label("Name", exact=True).press("Tab")
    charter.get_by_role("button", name="Save").click()
    expect(charter.get_by_text("✓ Saved")).to_be_visible()
    charter.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "02-charter-saved.png"))

    saved = json.loads((home / GATE / "deliverables" / "charter.json").read_text())
    assert saved["project_manager"]["name"] == "Alice Verhoeven"
    assert saved["kind"] == "charter"

    # The readiness check: the PMO review of what is saved, and its memo.
    panel.get_by_role("button", name="Run the readiness check").click()
    memo = panel.frame_locator("iframe").first
    expect(memo.get_by_text("Board questions")).to_be_visible()
    # Only the charter is saved: the review sends the gate back, and says so.
    expect(panel.get_by_text("score", exact=False).filter(has_text="/ 100").first).to_be_visible()
    expect(memo.get_by_text("rework", exact=False).first).to_be_visible()
    panel.locator("iframe").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "03-readiness-memo.png"))

    # The same builders in the dark theme: labels, fields and problems stay readable.
    page.locator("#jp-MainLogo").click()  # out of the memo's frame, which takes keys
    page.keyboard.press("Control+Shift+C")  # the command palette
    palette = page.locator(".lm-CommandPalette:visible input")
    palette.fill("JupyterLab Dark")
    page.locator(".lm-CommandPalette-item:visible", has_text="JupyterLab Dark").first.click()
    expect(page.locator("body[data-jp-theme-light='false']")).to_have_count(1)
    charter.get_by_role("button", name="Save").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "04-dark-theme.png"))
