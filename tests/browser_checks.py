"""Checks shared by the browser tests of pages at phone and laptop sizes."""

import re

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

# Records each content-security-policy violation, whatever the console says about it.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


def open_context(browser, live_server, viewport, *, javascript=True):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, java_script_enabled=javascript
    )
    context.set_default_timeout(15000)
    context.add_init_script(WATCH_POLICY)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    return context, page, problems


def assert_policy_intact(response, page):
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    style_src = re.search(r"style-src ([^;]*)", policy)[1]
    assert "'self'" in script_src and "unsafe" not in script_src
    assert "'self'" in style_src and "unsafe" not in style_src
    assert page.evaluate("window.__violations") == []


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def top_of_first(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")


def assert_on_first_screen(page, selector: str, viewport) -> None:
    expect(page.locator(selector).first).to_be_visible()
    top = top_of_first(page, selector)
    assert 0 <= top < viewport["height"] - 40, f"{page.url}: first result at {top:.0f} px"
