"""The class hub in Chromium, as `make hub` serves it: two learners and the instructor log in.

Each learner lands in JupyterLab on the first lesson of their own copy of the
course; the instructor's admin page lists both learners.  Uses the system
Chromium through Playwright, like tests/browser (whose helpers it borrows);
skips (or fails, with RNN_EDU_REQUIRE_BROWSER=1) without it.  Screenshots go to
tests/hub/screenshots/ (git-ignored).
"""
import importlib.util
import re
from pathlib import Path

import pytest

import classroom

HERE = Path(__file__).resolve().parent
SHOTS = HERE / "screenshots"
_spec = importlib.util.spec_from_file_location("browser_conftest", HERE.parent / "browser" / "conftest.py")
browser_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_helpers)
LEARNERS = ("ada", "ben")


@pytest.fixture(scope="module")
def chromium():
    """A headless system Chromium (skips without it or without Playwright, as tests/browser does)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_helpers.unavailable(browser_helpers.NO_PLAYWRIGHT)
    path = browser_helpers.find_chromium()
    if path is None:
        browser_helpers.unavailable(browser_helpers.NO_CHROMIUM)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=browser_helpers.CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(browser, hub, name, password):
    """A fresh browser context (its own cookies) logged in through the hub's login page."""
    ctx = browser.new_context(viewport=browser_helpers.VIEWPORT)
    ctx.set_default_timeout(120_000)
    page = ctx.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    return ctx, page


def test_two_learners_and_the_instructor_log_in(hub_runner, chromium):
    hub = hub_runner.start()
    SHOTS.mkdir(exist_ok=True)
    contexts = []
    try:
        for name in LEARNERS:
            ctx, page = log_in(chromium, hub, name, hub.creds["password"])
            contexts.append(ctx)
            # the spawn page, then JupyterLab on the first lesson of the learner's own copy
            page.wait_for_url(re.compile(rf"/user/{name}/lab/tree/rnn-edu/00_start_here\.ipynb"), timeout=180_000)
            page.locator(".jp-Notebook:visible").wait_for(state="visible", timeout=120_000)
            tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").first
            assert tab.inner_text().strip() == "00_start_here.ipynb"
            page.locator(".jp-Notebook:visible .jp-Cell").nth(2).wait_for(state="visible", timeout=60_000)
            page.wait_for_timeout(1000)  # let the first cells render for the screenshot
            page.screenshot(path=str(SHOTS / f"learner-{name}.png"))
            assert (hub.homes / name / classroom.COURSE_DIR / "00_start_here.ipynb").is_file()
        admin = classroom.admin_name()
        ctx, page = log_in(chromium, hub, admin, hub.creds["admin_password"])
        contexts.append(ctx)
        page.wait_for_url(re.compile(r"/(hub|user)/"), timeout=60_000)
        page.goto(f"{hub.url}/hub/admin")
        for name in LEARNERS:
            page.get_by_text(name, exact=True).first.wait_for(state="visible", timeout=60_000)
        page.screenshot(path=str(SHOTS / "instructor-admin.png"))
        # a learner with the learners' password cannot open the admin page
        ctx, page = log_in(chromium, hub, "dee", hub.creds["password"])
        contexts.append(ctx)
        page.wait_for_url(re.compile(r"/user/dee/"), timeout=180_000)
        response = page.goto(f"{hub.url}/hub/admin")
        assert response.status == 403
    finally:
        for ctx in contexts:
            ctx.close()
