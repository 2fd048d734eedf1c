"""A person finds their operator and nearest sites in a real browser, in French then English,
with JavaScript on (autocomplete) and off; every page visited passes an axe scan."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import assert_accessible


def answer_situation(
    page: Page,
    *,
    situation: str,
    cadre: str,
    age: str,
    rqth: str,
    suivi: str,
    groups: dict[str, str],
) -> None:
    page.get_by_role("group", name=groups["situation"]).get_by_label(situation, exact=True).check()
    page.get_by_role("group", name=groups["cadre"]).get_by_label(cadre, exact=True).check()
    page.get_by_label(groups["age"], exact=True).fill(age)
    page.get_by_role("group", name=groups["rqth"]).get_by_label(rqth, exact=True).check()
    page.get_by_role("group", name=groups["suivi"]).get_by_label(suivi, exact=True).check()


FR = {
    "home": "Votre commune ou code postal de résidence",
    "situation": "Votre situation aujourd'hui",
    "cadre": "Êtes-vous cadre ?",
    "age": "Votre âge",
    "rqth": "Avez-vous une reconnaissance de handicap (RQTH ou équivalent) ?",
    "suivi": "Êtes-vous déjà accompagné(e) par un autre conseiller en évolution professionnelle ?",
    "submit": "Voir qui peut m'accompagner",
}


def test_a_person_types_a_commune_answers_and_sees_their_sites_in_french(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/?lang=fr")
    expect(page).to_have_title(re.compile("Trouver mon conseil"))
    assert_accessible(page)

    home = page.get_by_label(FR["home"])
    home.press_sequentially("st-mal", delay=30)
    # htmx fills the datalist behind the field with matching communes.
    expect(page.locator("#home-suggestions option[value='Saint-Malo (35400)']")).to_be_attached()
    home.fill("Saint-Malo (35400)")
    answer_situation(
        page,
        situation="Salarié(e) d'une entreprise ou d'une association",
        cadre="Non",
        age="38",
        rqth="Non",
        suivi="Non",
        groups=FR,
    )
    page.get_by_role("button", name=FR["submit"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Qui peut vous accompagner")
    expect(
        page.get_by_role("heading", name="Près de chez vous : Saint-Malo (35400)")
    ).to_be_visible()
    expect(page.get_by_text("CEP Bretagne — opérateur de démonstration")).to_be_visible()
    sites = page.get_by_role("list").filter(has=page.get_by_role("heading", name="CEP Saint-Malo"))
    expect(sites.get_by_role("listitem").filter(has=page.locator("h4"))).to_have_count(5)
    first = page.locator("#location li.site").first
    expect(first).to_contain_text("0,0 km")
    first.get_by_text("Horaires d'ouverture").click()
    expect(first).to_contain_text("horaire élargi")
    assert_accessible(page)

    # The same answer in English, from the language link.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who can help you")
    expect(page.get_by_role("heading", name="Near your home: Saint-Malo (35400)")).to_be_visible()
    expect(page.locator("#location li.site").first).to_contain_text("0.0 km")
    assert_accessible(page)


def test_in_english_an_ambiguous_postal_code_asks_which_commune(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Find career development advice (CEP) for me"
    )
    assert_accessible(page)
    page.get_by_label("Town or postcode where you live").fill("37160")
    page.get_by_role("group", name="Your situation today").get_by_label(
        "Temporary agency worker"
    ).check()
    page.get_by_role("group", name="Are you a manager (cadre)?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_label("Your age", exact=True).fill("29")
    page.get_by_role("group", name=re.compile("recognition of a disability")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("already helping you")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="See who can help me").click()

    choose = page.get_by_role("group", name="Choose the town where you live")
    expect(choose).to_be_visible()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error:"))
    # What the person typed is still there.
    expect(page.get_by_label("Town or postcode where you live")).to_have_value("37160")
    assert_accessible(page)
    choose.get_by_label(re.compile("^Descartes")).check()
    page.get_by_role("button", name="See who can help me").click()
    expect(
        page.get_by_role("heading", name=re.compile("Near your home: Descartes"))
    ).to_be_visible()
    expect(page.get_by_text("CEP Centre-Val de Loire — opérateur de démonstration")).to_be_visible()
    assert_accessible(page)


def test_without_javascript_the_journey_still_works(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_label(FR["home"]).fill("Ajaccio")
    page.get_by_label(re.compile("lieu de travail")).fill("Bastia")
    answer_situation(
        page,
        situation="Indépendant(e), artisan, commerçant(e), profession libérale",
        cadre="Non",
        age="47",
        rqth="Non",
        suivi="Non",
        groups=FR,
    )
    page.get_by_role("button", name=FR["submit"]).click()
    # Ajaccio and Bastia are in the same lot: one list, each site labelled with the nearer place.
    expect(
        page.get_by_role(
            "heading",
            name="Près de chez vous, à Ajaccio (20000), et de votre travail, à Bastia (20200)",
        )
    ).to_be_visible()
    expect(page.get_by_text("près de chez vous", exact=True).first).to_be_visible()
    expect(page.get_by_text("près de votre travail", exact=True).first).to_be_visible()
    context.close()


def test_a_phone_sized_screen_shows_the_whole_form_without_sideways_scrolling(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    expect(page.get_by_role("button", name=FR["submit"])).to_be_visible()
    assert_accessible(page)
    context.close()


def test_a_failed_submit_moves_the_focus_to_the_error_summary(page: Page, live_server: str) -> None:
    page.goto(live_server + "/?lang=fr")
    page.get_by_role("button", name=FR["submit"]).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_contain_text("à corriger")
    assert_accessible(page)


def test_noumea_reads_one_answer_and_the_mediator_page_passes_axe(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/?lang=fr")
    page.get_by_label(FR["home"]).fill("98800")
    answer_situation(
        page, situation="Intérimaire", cadre="Non", age="33", rqth="Non", suivi="Non", groups=FR
    )
    page.get_by_role("button", name=FR["submit"]).click()
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Aucun opérateur régional ne couvre Nouvelle-Calédonie : "
        "les opérateurs nationaux peuvent vous accompagner"
    )
    expect(page.get_by_text("est fait pour vous")).to_have_count(0)
    assert_accessible(page)
    page.goto(live_server + "/mediateur")
    expect(page.get_by_role("heading", level=1)).to_have_text("Réclamations et médiation")
    assert_accessible(page)
