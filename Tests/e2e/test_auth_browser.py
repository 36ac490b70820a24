"""The sign-in in a real browser: headless Chromium (selenium + /usr/bin/chromedriver) against
oidc-provider-mock. Sign-in page → provider consent → back signed in → /api/v1/me → sign out
with the CSRF token → old cookie refused. Also: the button opens a new tab when the page is framed.
"""

import json

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest_auth import AuthMockProvider, AuthServer, auth_create_database, auth_drop_database, auth_record_case

ADMIN = {"sub": "sub-ada-browser", "preferred_username": "ada-example", "name": "Ada Example"}
WAIT_SECONDS = 20  # upper bound for a page to settle, not a measurement


@pytest.fixture(scope="module")
def provider():
    p = AuthMockProvider([ADMIN])
    yield p
    p.stop()


@pytest.fixture(scope="module")
def database_only():
    database = auth_create_database("auth_browser")
    yield database
    auth_drop_database(database)


@pytest.fixture(scope="module")
def server(provider, database_only):
    s = AuthServer(database_only, provider.base, name="browser")
    yield s
    s.stop()


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,800"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=ChromeService("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def wait(driver):
    return WebDriverWait(driver, WAIT_SECONDS)


def test_browser_login_me_logout(provider, server, browser):
    before = server.last_seq()
    browser.get(server.base + "/signin.html?return_to=/signin.html")
    button = wait(browser).until(EC.visibility_of_element_located((By.ID, "signin-button")))
    assert button.text == "Sign in with Hugging Face"
    assert button.get_attribute("target") in (None, "")  # top-level page: same tab
    button.click()

    # The provider's consent form (oidc-provider-mock): type the subject, authorize.
    field = wait(browser).until(EC.visibility_of_element_located((By.NAME, "sub")))
    assert browser.current_url.startswith(provider.base + "/oauth2/authorize?")
    field.send_keys(ADMIN["sub"])
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name])").click()

    # Back on our sign-in page (the local return path), signed in.
    wait(browser).until(EC.visibility_of_element_located((By.ID, "signed-in")))
    assert browser.current_url == server.base + "/signin.html"
    assert browser.find_element(By.ID, "username").text == "ada-example"
    cookie = browser.get_cookie("spaceaudit_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert "spaceaudit_session" not in browser.execute_script("return document.cookie")  # HttpOnly for real

    browser.get(server.base + "/api/v1/me")
    me = json.loads(browser.find_element(By.TAG_NAME, "body").text)
    assert me["signed_in"] is True and me["user"]["username"] == "ada-example"

    # Sign out through the page's button (fetch POST with X-CSRF-Token, Origin, Sec-Fetch-Site).
    browser.get(server.base + "/signin.html")
    wait(browser).until(EC.element_to_be_clickable((By.ID, "signout-button"))).click()
    wait(browser).until(EC.visibility_of_element_located((By.ID, "signin-button")))
    assert browser.get_cookie("spaceaudit_session") is None

    old = requests.get(server.base + "/api/v1/me", cookies={"spaceaudit_session": cookie["value"]}, timeout=10)
    assert old.status_code == 401
    events = server.events_after(before)
    assert [e["event"] for e in events] == ["login_started", "login_succeeded", "logout"]
    assert "Chrome" in events[1]["user_agent"]
    auth_record_case("positive: browser login in headless Chromium (oidc-provider-mock)", "login_succeeded, then logout",
                     ", ".join(e["event"] for e in events), True, "303")


def test_button_opens_a_new_tab_when_framed(server, browser):
    browser.get(server.base + "/signin.html")
    wait(browser).until(EC.visibility_of_element_located((By.ID, "signin-button")))
    # Frame the page inside itself (same origin, which frame-ancestors allows), as HF's Space page does.
    browser.execute_script(
        "const f = document.createElement('iframe'); f.id = 'framed'; f.src = '/signin.html?return_to=/x';"
        "f.width = 600; f.height = 400; document.body.appendChild(f);")
    browser.switch_to.frame(wait(browser).until(EC.presence_of_element_located((By.ID, "framed"))))
    button = wait(browser).until(EC.visibility_of_element_located((By.ID, "signin-button")))
    assert button.get_attribute("target") == "_blank"
    assert button.get_attribute("rel") == "noopener"
    assert button.get_attribute("href") == server.base + "/login?return_to=%2Fx"
    assert browser.find_element(By.ID, "framed-note").is_displayed()


def test_signin_page_explains_how_to_enable_sign_in(database_only, browser):
    server = AuthServer(database_only, None, name="browser_disabled")
    try:
        browser.get(server.base + "/signin.html")
        message = wait(browser).until(EC.visibility_of_element_located((By.ID, "disabled-message")))
        assert "set OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET (hf_oauth: true)" in message.text
        assert not browser.find_element(By.ID, "signin-button").is_displayed()
    finally:
        server.stop()
