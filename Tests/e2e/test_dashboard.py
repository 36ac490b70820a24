"""Dashboard end to end: the real binary (`spaceaudit demo` on a fresh database), its JSON API
with requests, and the pages in headless Chromium."""
import os
import time
import urllib.parse

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from dash_helpers import DashServer, dash_browser, dash_insert_session, dash_json, dash_psql

HOSTILE = '<script>window.__pwned=1</script><img src=x id=dash-injected onerror="window.__pwned=2">'
DEMO_SPACES = ["acme/chat-app", "acme/model-playground", "alice/gradio-sketch", "demo-org/notebook-hub"]


@pytest.fixture(scope="module")
def dash_server():
    server = DashServer()
    # A row as a hostile Space could ingest it: its username is markup. Inserted directly (its
    # hash is not part of the chain; these tests do not verify chains).
    dash_psql(server.database_url, """
        INSERT INTO login_events (space_id, seq, occurred_at, event, outcome, user_sub, username, source, hash, redirect_uri)
        VALUES ('demo-org/notebook-hub', 1000000, now() - interval '30 seconds', 'login_succeeded', 'success',
                '6hostile', :'v1', 'ingest', '\\x00', 'https://demo-org-notebook-hub.hf.space/login/callback');
        """, HOSTILE)
    server.admin_cookie = dash_insert_session(server.database_url)
    server.acme_cookie = dash_insert_session(server.database_url, admin=False, orgs=["acme"])
    server.page_url = server.url
    yield server
    server.close()


@pytest.fixture(scope="module")
def dash_driver(dash_server):
    driver = dash_browser()
    driver.get(dash_server.page_url + "/healthz")
    driver.add_cookie({"name": "spaceaudit_session", "value": dash_server.admin_cookie, "path": "/"})
    yield driver
    driver.quit()


def api(server, path, cookie=None):
    cookies = {"spaceaudit_session": cookie} if cookie else {}
    return requests.get(server.url + path, cookies=cookies, timeout=10)


def save_screenshot(driver, name, width):
    """With DASH_SCREENSHOT_DIR set, saves the whole page as NAME.png (docs/screenshots)."""
    folder = os.environ.get("DASH_SCREENSHOT_DIR")
    if not folder:
        return
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height + 120, 5000))
    time.sleep(0.3)
    driver.save_screenshot(os.path.join(folder, f"{name}.png"))
    driver.set_window_size(1280, 900)


def wait_for(driver, condition, timeout=15):
    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def open_page(driver, url):
    driver.get(url.split("#")[0].rstrip("/") + "/healthz")  # leave the app, so a hash change cannot reuse the old page
    driver.get(url)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#main .page"))


def open_space(driver, server, space="demo-org/notebook-hub"):
    open_page(driver, server.page_url + "/#/spaces/" + space)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.events tbody tr") or
             "No events" in d.find_element(By.CSS_SELECTOR, "[role=status]").text)


# --- API --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/spaces", "/api/v1/spaces/acme/chat-app", "/api/v1/spaces/acme/chat-app/events"])
def test_dash_api_needs_a_session(dash_server, path):
    for cookie in (None, "forged-cookie"):
        response = api(dash_server, path, cookie)
        assert response.status_code == 401
        assert dash_json(response)["error"]["code"] == "not_signed_in"


def test_dash_api_lists_demo_spaces_with_consistent_numbers(dash_server):
    body = dash_json(api(dash_server, "/api/v1/spaces", dash_server.admin_cookie))
    assert [space["space"] for space in body["spaces"]] == DEMO_SPACES
    for space in body["spaces"]:
        activity = space["activity"]
        assert len(activity["daily"]) == body["days"] == 30
        assert sum(day["successes"] for day in activity["daily"]) == activity["successes"]
        assert activity["active_1d"] <= activity["active_7d"] <= activity["active_30d"]
        assert space["registered"] is True
    hub = next(space for space in body["spaces"] if space["space"] == "demo-org/notebook-hub")
    assert hub["activity"]["riskiest_scope"] == {"scope": "manage-repos", "risk": "critical"}


def test_dash_api_hides_other_orgs_spaces_as_404(dash_server):
    body = dash_json(api(dash_server, "/api/v1/spaces", dash_server.acme_cookie))
    assert [space["space"] for space in body["spaces"]] == ["acme/chat-app", "acme/model-playground"]
    hidden = api(dash_server, "/api/v1/spaces/demo-org/notebook-hub/events", dash_server.acme_cookie)
    missing = api(dash_server, "/api/v1/spaces/demo-org/no-such-space/events", dash_server.acme_cookie)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text


def test_dash_api_pages_return_every_event_once(dash_server):
    expected = int(dash_psql(dash_server.database_url, "SELECT count(*) FROM login_events WHERE space_id = 'acme/chat-app'"))
    seen, cursor = [], None
    while True:
        query = "?limit=97" + (f"&cursor={cursor}" if cursor else "")
        body = dash_json(api(dash_server, "/api/v1/spaces/acme/chat-app/events" + query, dash_server.admin_cookie))
        assert len(body["events"]) <= 97
        seen += [(event["occurred_at"], event["seq"]) for event in body["events"]]
        cursor = body.get("next_cursor")
        if not cursor:
            break
    assert len(seen) == expected > 500
    assert len({seq for _, seq in seen}) == expected
    assert [seq for _, seq in seen] == sorted((seq for _, seq in seen), reverse=True)
    bad = api(dash_server, "/api/v1/spaces/acme/chat-app/events?limit=501", dash_server.admin_cookie)
    assert bad.status_code == 400 and dash_json(bad)["error"]["code"] == "bad_request"


# --- Pages ------------------------------------------------------------------------------------

def test_dash_signed_out_visitor_goes_to_sign_in_with_return_path(dash_server):
    driver = dash_browser()
    try:
        driver.get(dash_server.page_url + "/#/spaces/acme/chat-app")
        wait_for(driver, lambda d: "/signin.html" in d.current_url)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)
        assert query["return_to"] == ["/#/spaces/acme/chat-app"]
    finally:
        driver.quit()


def test_dash_overview_shows_every_space(dash_driver, dash_server):
    open_page(dash_driver, dash_server.page_url + "/")
    rows = dash_driver.find_elements(By.CSS_SELECTOR, "table.spaces tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "th a").text for row in rows] == DEMO_SPACES
    for row in rows:
        assert row.find_elements(By.CSS_SELECTOR, "svg.spark rect.bar-ok"), "each Space has a chart"
    hub = rows[DEMO_SPACES.index("demo-org/notebook-hub")]
    assert "CRITICAL" in hub.text.upper() and "manage-repos" in hub.text
    # Findings come from /api/v1/report: the row shows the same counts the API gives.
    report = requests.get(dash_server.url + "/api/v1/report", params={"since": "30d", "space": "demo-org/notebook-hub"},
                          cookies={"spaceaudit_session": dash_server.admin_cookie}).json()
    severities = [finding["severity"] for space in report["spaces"] for finding in space["findings"]]
    assert severities, "the misconfigured demo Space has findings"
    assert f"{severities.count('error')} error" in hub.text and f"{severities.count('warning')} warning" in hub.text
    assert not any("Content Security Policy" in entry["message"] for entry in dash_driver.get_log("browser"))
    save_screenshot(dash_driver, "overview-desktop", 1280)


def test_dash_user_supplied_text_stays_text(dash_driver, dash_server):
    open_space(dash_driver, dash_server)
    cells = dash_driver.find_elements(By.CSS_SELECTOR, "table.events td.user")
    assert HOSTILE in [cell.text for cell in cells]
    assert dash_driver.find_elements(By.ID, "dash-injected") == []
    assert dash_driver.find_elements(By.ID, "dash-injected-finding") == []
    assert dash_driver.execute_script("return window.__pwned === undefined")
    page_text = dash_driver.find_element(By.ID, "main").text
    assert "<script>window.__pwned=1</script>" in page_text  # the hostile username, shown as text
    assert "hf_oauth_expiration_minutes to 480" in page_text  # a finding with its fix
    save_screenshot(dash_driver, "space-desktop", 1280)


def test_dash_keyboard_reaches_export_link_which_honours_filters(dash_driver, dash_server):
    open_space(dash_driver, dash_server)
    Select(dash_driver.find_element(By.ID, "filter-event")).select_by_value("login_failed")
    dash_driver.find_element(By.ID, "filter-since").send_keys("01012020")  # mm/dd/yyyy in en-US Chromium
    dash_driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(dash_driver, lambda d: "event=login_failed" in (d.find_element(By.ID, "export-csv").get_attribute("href") or ""))
    wait_for(dash_driver, lambda d: all(row.find_elements(By.TAG_NAME, "td")[0].text == "login_failed"
                                        for row in d.find_elements(By.CSS_SELECTOR, "table.events tbody tr")))
    href = urllib.parse.urlsplit(dash_driver.find_element(By.ID, "export-csv").get_attribute("href"))
    assert href.path == "/api/v1/events.csv"
    query = urllib.parse.parse_qs(href.query)
    assert query["space"] == ["demo-org/notebook-hub"] and query["event"] == ["login_failed"]
    assert query["since"] == ["2020-01-01T00:00:00Z"]
    assert "event=login_failed" in dash_driver.current_url  # the filter is in the address, bookmarkable

    # A fresh load puts focus on the page heading; from there Tab walks forward through the
    # filters to the export link, and Shift+Tab walks back to the skip link.
    open_page(dash_driver, dash_driver.current_url)
    wait_for(dash_driver, lambda d: d.switch_to.active_element.tag_name == "h1")
    for _ in range(40):
        if dash_driver.switch_to.active_element.get_attribute("id") == "export-csv":
            break
        dash_driver.switch_to.active_element.send_keys(Keys.TAB)
    assert dash_driver.switch_to.active_element.get_attribute("id") == "export-csv"
    for _ in range(40):
        if dash_driver.switch_to.active_element.get_attribute("class") == "skip-link":
            break
        dash_driver.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    assert dash_driver.switch_to.active_element.get_attribute("class") == "skip-link"
    dash_driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(dash_driver, lambda d: d.switch_to.active_element.get_attribute("id") == "main")


def test_dash_older_and_newer_pages(dash_driver, dash_server):
    open_space(dash_driver, dash_server, "acme/chat-app")
    first = [row.text for row in dash_driver.find_elements(By.CSS_SELECTOR, "table.events tbody tr")]
    older = dash_driver.find_element(By.XPATH, "//button[contains(., 'Older')]")
    older.click()
    wait_for(dash_driver, lambda d: "Page 2" in d.find_element(By.CSS_SELECTOR, "[role=status]").text)
    second = [row.text for row in dash_driver.find_elements(By.CSS_SELECTOR, "table.events tbody tr")]
    assert second and not set(first) & set(second)
    dash_driver.find_element(By.XPATH, "//button[contains(., 'Newer')]").click()
    wait_for(dash_driver, lambda d: "Page 1" in d.find_element(By.CSS_SELECTOR, "[role=status]").text)


@pytest.mark.parametrize("path", ["/", "/#/spaces/demo-org/notebook-hub"])
def test_dash_phone_width_has_no_horizontal_scroll(dash_server, path):
    driver = dash_browser(390, 844)
    try:
        driver.get(dash_server.page_url + "/healthz")
        driver.add_cookie({"name": "spaceaudit_session", "value": dash_server.admin_cookie, "path": "/"})
        open_page(driver, dash_server.page_url + path)
        time.sleep(0.5)  # let the event log finish rendering
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        save_screenshot(driver, ("overview" if path == "/" else "space") + "-phone", 390)
    finally:
        driver.quit()
