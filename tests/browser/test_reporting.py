"""An incident from a Cambodian border post to a Thai analyst's screen, in a real browser."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from crossings.web.accounts.second_factor import current_code, demo_totp_key
from crossings.web.setup import DEMO_PASSWORD

TIMEOUT = 15_000


class Session:
    """One user in their own browser context, with every request it made recorded."""

    def __init__(self, browser: Browser, base: str):
        self.context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        self.context.set_default_timeout(TIMEOUT)
        self.page: Page = self.context.new_page()
        self.base = base
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def login(self, username: str, *, totp: bool = False) -> Page:
        page = self.page
        page.goto(f"{self.base}/login/")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit] >> nth=-1")
        if totp:
            page.wait_for_url("**/login/verify/**")
            page.fill("#token", current_code(demo_totp_key(username)))
            page.click("main button[type=submit]")
        page.wait_for_url(f"{self.base}/")
        return page

    def outside(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base)
                and not url.startswith(("data:", "about:"))]


def open_details(page: Page, field: str) -> None:
    """Open the "more details" part that holds ``field``."""
    page.locator(field).evaluate("element => element.closest('details').open = true")


def enter_incident(page: Page, reference: str) -> None:
    page.fill("#id-incident_ref", reference)
    page.fill("#id-detection_date", "2025-03-02")
    page.select_option("#id-location_type", "LAND_BCP")
    page.check("input[name=event_types][value=IRREGULAR_CROSSING]")
    page.click("#section-route_legs button.add")
    page.fill("#id-route_legs-0-from_country", "KHM")
    page.fill("#id-route_legs-0-to_country", "THA")
    page.click("#section-migrant_groups button.add")
    page.fill("#id-migrant_groups-0-citizenship", "KHM")
    page.fill("#id-migrant_groups-0-total", "9")
    open_details(page, "#id-location_name")
    page.fill("#id-location_name", "Poipet market")


def test_officer_to_focal_point_to_partner_and_back(demo: None, live_server: Any,
                                                     browser: Browser) -> None:
    base = live_server.url
    officer = Session(browser, base)
    page = officer.login("khm-officer")
    page.click("form.languages button[value=km]")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    page.click("text=ករណីថ្មី")  # "New incident"
    expect(page.locator("label[for=id-detection_date]")).to_contain_text("កាលបរិច្ឆេទនៃការរកឃើញ")
    enter_incident(page, "KHM-BROWSER-1")
    page.click("button.save")  # save draft
    expect(page.locator("#status")).to_have_text("សេចក្តីព្រាង")  # draft
    page.click("text=ដាក់ស្នើសុំការអនុម័ត")  # submit for approval
    expect(page.locator("#status")).to_have_text("បានដាក់ស្នើ")
    record_url = page.url
    assert officer.outside() == []

    focal = Session(browser, base)
    page = focal.login("khm-focal", totp=True)
    page.goto(record_url)
    page.click("form[action$='/approve/'] button")
    expect(page.locator("#status")).to_have_text("Approved")
    page.click("text=Share >> nth=0")
    page.select_option("#scope-choice", "BILATERAL")
    page.check("input[name=partners][value=THA]")
    page.click("form[action$='/share/'] button")
    expect(page.locator("#status")).to_have_text("Shared")

    thai = Session(browser, base)
    page = thai.login("tha-analyst", totp=True)
    page.goto(f"{base}/records/")
    expect(page.locator("tr[data-reference='KHM-BROWSER-1']")).to_have_count(1)
    page.click("text=KHM-BROWSER-1")
    expect(page.locator("main")).to_contain_text("Shared by a partner")
    expect(page.locator("main")).not_to_contain_text("Poipet market")  # not for partners

    viet = Session(browser, base)
    page = viet.login("vnm-analyst", totp=True)
    page.goto(f"{base}/records/")
    expect(page.locator("tr[data-reference='KHM-BROWSER-1']")).to_have_count(0)
    assert page.goto(record_url).status == 404

    page = focal.page
    page.click("text=Revoke sharing")
    page.fill("#revoke-reason", "shared too early")
    page.click("form[action$='/revoke/'] button")
    expect(page.locator("#status")).to_have_text("Approved")
    thai.page.goto(f"{base}/records/")
    expect(thai.page.locator("tr[data-reference='KHM-BROWSER-1']")).to_have_count(0)
    for session in (officer, focal, thai, viet):
        assert session.outside() == [], session.outside()
        session.context.close()


def test_a_broken_rule_is_shown_beside_its_field_in_khmer(demo: None, live_server: Any,
                                                          browser: Browser) -> None:
    officer = Session(browser, live_server.url)
    page = officer.login("khm-officer")
    page.click("form.languages button[value=km]")
    page.goto(f"{live_server.url}/records/new/")
    enter_incident(page, "KHM-BROWSER-2")
    open_details(page, "#id-migrant_groups-0-female")
    page.fill("#id-migrant_groups-0-female", "40")  # more than the 9 in the group
    page.fill("#id-detection_date", "")
    page.click("button.save")
    error = page.locator("#id-detection_date-error")
    expect(error).to_have_text("កាលបរិច្ឆេទនៃការរកឃើញ ត្រូវតែបំពេញ ប៉ុន្តែនៅទទេ។")
    expect(page.locator("#id-migrant_groups-0-female-error")).to_contain_text("40")
    expect(page.locator(".summary")).to_contain_text("គ្មានអ្វីត្រូវបានរក្សាទុកទេ")  # nothing saved
    # What was typed is still there, and nothing left the live server.
    expect(page.locator("#id-route_legs-0-to_country")).to_have_value("THA")
    assert officer.outside() == []
    officer.context.close()
