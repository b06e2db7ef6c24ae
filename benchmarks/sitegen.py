"""Generate a synthetic copy of the MPI program site with N publications, for benchmarks.

``generate_site(root, publications=5000, seed=0)`` writes a static mirror laid out exactly like
the bundled fixture (``tests/fixtures/snapshot/www.migrationpolicy.org/``): every URL maps to the
file ``regmig_scraper.snapshot.snapshot_relpath(url, with_host=False)``, so
``regmig_scraper.mirror.serving(root)`` serves it and a directory holding it as
``<snapshot>/www.migrationpolicy.org/`` is a ``--replay`` snapshot. It returns a ``SiteInfo``
and writes ``ground-truth.json`` beside ``root`` (not inside: the mirror would serve it).

The markup is the fixture's: the page chrome (head boilerplate, header, menus, footer) is
copied at generation time from the fixture page of each template, and the content regions
reproduce the fixture's Drupal 7 markup field for field:

- the program page with its intro, the "Recent Activity" featured block (``?page=K``) and the
  quicktabs block whose tabs are Views blocks with their own Drupal pagers (multi-pager URLs
  ``?qt-regional_study_group_tabs=0&page=0%2C5``, links isolated per pager as on the sample);
  every publication is on its home tab (Research, Articles, Multimedia) and on Recent
  Activity, and every listing page repeats page 0 of the other blocks, as Drupal renders it;
- the five detail templates: research report/brief (``/research/``), Migration Information
  Source article (``/article/``), commentary (``/news/``), multimedia (``/multimedia/``), event
  (``/events/``);
- English and Spanish: translation pairs with hreflang alternates and "Lea este informe en
  español" links, plus Spanish-only items;
- the sample's quirks: image alt text that is a file name, teasers with no visible title,
  teasers whose only link is the image or the type label, ``utm_*`` and trailing-slash links,
  dates shown at different precisions on the listing and on the page (and a Spanish "10 de
  diciembre de 2020" on some Spanish pages), speakers that are not authors.

Type labels, dates and staff names repeat as on the real site (a small vocabulary, about 7,000
distinct days over 20 years, a staff of a dozen people plus occasional guests).

Deterministic: the same ``publications`` and ``seed`` give byte-identical trees. No wall clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import math
import random
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from regmig_scraper.snapshot import snapshot_relpath

logger = logging.getLogger(__name__)

HOST = "www.migrationpolicy.org"
ORIGIN = f"https://{HOST}"
PROGRAM_PATH = "/programs/regional-migration"
PROGRAM_TITLE = "Building a Regional Migration System"
QT = "qt-regional_study_group_tabs"
GROUND_TRUTH = "ground-truth.json"

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "snapshot" / HOST

# Fixture page each template's chrome (head boilerplate, header, footer) is copied from.
CHROME_SOURCES = {
    "program": "programs/regional-migration/index.html",
    "research": "research/new-regional-migration-system-us-mexico-central-america/index.html",
    "article": "article/mexico-search-disappeared-migrants/index.html",
    "commentary": "news/rethink-links-between-development-aid-migration/index.html",
    "multimedia": (
        "multimedia/mexico-new-migration-policy-secretary-olga-sanchez-cordero/index.html"
    ),
    "event": "events/migration-management-mexico-central-america-regional-cooperation/index.html",
}
# Files copied as they are.
COPIED_FILES = ("robots.txt", ".drupal-404.html")

# --- listing layout ------------------------------------------------------------------
PER_PAGE = 10  # rows per page of a quicktab's view (Drupal's default)
FEATURED_PER_PAGE = 3  # the featured block shows three teasers per page
FEATURED_PAGES = 5  # ... over at most five pages
STUDY_GROUP_ROWS = 6  # the Study Group tab: a fixed list without a pager
PAGER_QUANTITY = 9  # Drupal's pager window
# Pager elements (position in ``page=a,b,c,d,e``) and the quicktab each belongs to.
FEATURED_ELEMENT = 0
TAB_ELEMENT = {0: 1, 1: 2, 2: 3, 4: 4}  # tab -> pager element (tab 3 has no pager)
TAB_NAMES = ("Research", "Articles", "Multimedia", "Study Group", "Recent Activity")
HOME_TABS = (0, 1, 2)

# --- shares of the publication kinds (they sum to 1) ------------------------------------
TRANSLATED_SHARE = 0.3  # translatable English items that get a Spanish twin
SPANISH_ONLY_AUDIO_SHARE = 0.3  # audio recordings of Spanish-language seminars
DAY_ON_PAGE_SHARE = 0.3  # research pages that show the day the listing shows as a month
SPANISH_DATE_SHARE = 0.5  # Spanish research pages with a day shown as "10 de diciembre de 2020"
UNDATED_ARTICLE_SHARE = 0.15  # Migration Information Source pages without a date
NO_TITLE_ROW_SHARE = 0.08  # research rows whose only link is the cover image
TRAILING_SLASH_SHARE = 0.05  # research-tab links with a trailing slash
FIRST_DATE = dt.date(2005, 1, 1)
LAST_DATE = dt.date(2024, 12, 31)


@dataclass(frozen=True)
class Kind:
    """A publication kind: its template, URL section, labels and home tab."""

    name: str
    template: str
    section: str
    node_type: str
    page_labels: tuple[str, ...]
    listing_label: str
    content_type: str
    tab: int
    weight: float
    translatable: bool = False


KINDS: tuple[Kind, ...] = (
    Kind("report", "research", "research", "publication", ("Reports",), "Reports", "report",
         0, 0.24, translatable=True),
    Kind("policy_brief", "research", "research", "publication", ("Policy Briefs",),
         "Policy Briefs", "policy_brief", 0, 0.10, translatable=True),
    Kind("fact_sheet", "research", "research", "publication", ("Fact Sheets",), "Fact Sheets",
         "fact_sheet", 0, 0.04),
    Kind("article", "article", "article", "article", ("Feature", "Spotlight"), "Articles",
         "article", 1, 0.17),
    Kind("commentary", "commentary", "news", "commentary", ("Commentaries",), "Commentaries",
         "commentary", 1, 0.15),
    Kind("video", "multimedia", "multimedia", "multimedia", ("Video, Audio",), "Video, Audio",
         "video", 2, 0.12, translatable=True),
    Kind("audio", "multimedia", "multimedia", "multimedia", ("Audio",), "Audio", "audio", 2,
         0.04),
    Kind("webinar", "event", "events", "event", ("Webinar",), "Video, Audio, Webinars",
         "webinar", 2, 0.14),
)  # fmt: skip

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# --- people: MPI staff (linked to their pages) repeat; guests are rarer -------------------
STAFF = (
    "Andrew Selee", "Ariel G. Ruiz Soto", "Andrea Tanco", "Luis Argueta", "Jessica Bolter",
    "Doris Meissner", "Michelle Mittelstadt", "Camille Le Coz", "María Jesús Mora",
    "Diego Chaves-González", "Muzaffar Chishti", "Kathleen Newland",
)  # fmt: skip
GUEST_FIRST = (
    "Silvia E.", "Claudia", "Karina", "Kelly", "Rodrigo", "Ana Laura", "Gisela", "Valerie",
    "Julia", "Natalia", "Tomás", "Lucía", "Peter", "Samuel", "Hannah", "Elena",
)  # fmt: skip
GUEST_LAST = (
    "Giorguli-Saucedo", "Masferrer", "Fonseca Romero", "Kupferberg", "Dominguez Villegas",
    "Martínez de Lara", "Zapata-Gómez", "Lacarte", "Gelatt", "Banulescu-Bogdan", "Soto Mayor",
    "Hooper", "Capps", "Fix", "Batalova", "Greenberg",
)  # fmt: skip
ROLES_EN = (
    "President, MPI",
    "Policy Analyst, MPI",
    "Senior Fellow, MPI",
    "Researcher, Universidad Centroamericana (UCA)",
    "Former Official, COMAR",
)
ROLES_ES = ("Presidente, MPI", "Investigadora, MPI", "Secretaria de Gobernación",
            "Investigador, El Colegio de México")  # fmt: skip

# --- text pools (titles and summaries are composed; paragraphs come from the fixture) -------
TOPICS_EN = (
    "Laying the Foundation for Regional Cooperation", "Investing in the Neighborhood",
    "Building a New Regional Migration System", "Rethinking Humanitarian Protection",
    "Beyond the Border", "Return and Reintegration", "Climate, Disasters, and Displacement",
    "Asylum at a Crossroads", "Managing Mixed Migration", "Labor Pathways Reconsidered",
    "Lessons from Europe", "At the Starting Gate", "A Shared Responsibility",
    "The Road Ahead", "Sharing the Load", "From Crisis to Cooperation",
)  # fmt: skip
ANGLES_EN = (
    "Migration Policy and Institutional Capacity", "Changing Migration Patterns",
    "Opportunities for Sustainable Cooperation", "The Role of Development Assistance",
    "Lessons from a Decade of Enforcement", "New Approaches to Legal Migration",
    "What the Data Show", "Protection Systems Under Strain", "Remittances and Development",
    "Unaccompanied Children in Transit", "Temporary Work Visas", "Border Management Reform",
    "Integration of Returning Migrants", "Refugee Resettlement Options",
)  # fmt: skip
REGIONS_EN = (
    "Mexico and Central America", "the United States and Mexico", "Guatemala",
    "Honduras and El Salvador", "Canada and the United States", "the Americas", "Panama",
    "Costa Rica", "the Northern Triangle", "the Caribbean", "Colombia", "Ecuador",
)  # fmt: skip
TOPICS_ES = (
    "Sentando las bases para una cooperación regional", "Invertir en el vecindario",
    "Construyendo un nuevo sistema migratorio regional", "Repensar la protección humanitaria",
    "Más allá de la frontera", "Retorno y reintegración", "Clima, desastres y desplazamiento",
    "El asilo en una encrucijada", "Gestionar la migración mixta", "Nuevas vías laborales",
)  # fmt: skip
ANGLES_ES = (
    "Política migratoria y capacidad institucional", "Cambios en los patrones migratorios",
    "Oportunidades para una cooperación sostenible", "El papel de la asistencia al desarrollo",
    "Lo que muestran los datos", "Sistemas de protección bajo presión",
    "Remesas y desarrollo", "Menores no acompañados en tránsito", "Visas de trabajo temporal",
)  # fmt: skip
REGIONS_ES = (
    "México y Centroamérica", "Estados Unidos y México", "Guatemala", "Honduras y El Salvador",
    "las Américas", "Panamá", "Costa Rica", "el Triángulo Norte", "el Caribe", "Colombia",
)  # fmt: skip
SUMMARY_NOUN_EN = {
    "report": "report",
    "policy_brief": "policy brief",
    "fact_sheet": "fact sheet",
    "article": "article",
    "commentary": "commentary",
    "video": "discussion",
    "audio": "conversation",
    "webinar": "webinar",
}
SUMMARY_NOUN_ES = {
    "report": "informe",
    "policy_brief": "resumen de políticas",
    "fact_sheet": "hoja informativa",
    "video": "conversatorio",
    "audio": "seminario",
}
CLAUSES_EN = (
    "and lays out a strategy to expand legal pathways and strengthen protection systems",
    "drawing lessons directly applicable to the situation in Central America",
    "and identifies key areas for capacity-building efforts",
    "as well as the institutions established to investigate cases and their impact",
    "and previews policy ideas that could improve the immigration system",
    "and the policy implications of these changes for the future",
)
CLAUSES_ES = (
    "y presenta una estrategia para ampliar las vías legales y fortalecer la protección",
    "e identifica áreas clave en el desarrollo de capacidades",
    "así como las instituciones creadas para investigar los casos y su impacto",
    "y los efectos en la relación bilateral en medio de tensiones sobre la frontera",
)
PARAGRAPHS_EN = (
    "Migration in the region has changed profoundly over the past decade. Mexico, long a "
    "country of emigration, is now also a country of transit and destination, while "
    "Guatemala, Honduras, and El Salvador have become major sources of irregular migration "
    "toward the United States.",
    "The analysis draws on interviews with government officials, representatives of "
    "international organizations and civil society, and migrants themselves, as well as on "
    "administrative data from national migration agencies.",
    "Policymakers in Washington, Mexico City, and Central American capitals increasingly "
    "recognize that no single country can manage these flows on its own.",
    "Governments across the region have responded in different ways, from expanding "
    "humanitarian protection systems to tightening enforcement at their borders. Yet few of "
    "these efforts have been coordinated, and many have been reactive rather than strategic.",
    "Building a durable regional approach will require sustained investment in institutions, "
    "clearer mandates for the agencies that manage migration, and a willingness among "
    "governments to share responsibility for protection and integration.",
    "Legal pathways such as seasonal work visas, family reunification programs, and refugee "
    "resettlement can complement enforcement by offering would-be migrants alternatives to "
    "dangerous irregular journeys.",
)
PARAGRAPHS_ES = (
    "El análisis se basa en entrevistas con funcionarios de gobierno, representantes de "
    "organismos internacionales y de la sociedad civil, así como con personas migrantes, "
    "además de datos administrativos de las autoridades migratorias nacionales.",
    "Los tomadores de decisiones en Washington, la Ciudad de México y las capitales "
    "centroamericanas reconocen cada vez más que ningún país puede gestionar estos flujos por "
    "sí solo.",
    "Las vías legales, como las visas de trabajo temporal, los programas de reunificación "
    "familiar y el reasentamiento de refugiados, pueden complementar la aplicación de la ley "
    "al ofrecer alternativas a los peligrosos trayectos irregulares.",
    "La migración en la región ha cambiado profundamente durante la última década. México, "
    "durante mucho tiempo un país de emigración, es ahora también un país de tránsito y de "
    "destino.",
)
# Image file names posing as captions (the sample's quirk), by template.
IMAGE_NAMES = (
    "Coverthumb_{slug}_EN_final", "coverthumb_{slug} web", "EVENT PHOTO {year}",
    "webinar_card_{slug}", "Tapachula_Chiapas_IOM_{year}_RRodriguez",
)  # fmt: skip


# ------------------------------------------------------------------------- the model


@dataclass
class Publication:
    """One generated publication and what a correct crawl must say about it."""

    index: int
    kind: Kind
    language: str
    slug: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    date: dt.date
    page_precision: str | None  # the precision the page shows (None: no date on the page)
    page_spanish_date: bool
    page_label: str
    authors: tuple[str, ...]
    speakers: tuple[tuple[str, str], ...]
    node: str
    translation: int | None = None  # index of the other-language version
    no_title_row: bool = False
    trailing_slash: bool = False

    @property
    def path(self) -> str:
        return f"/{self.kind.section}/{self.slug}"

    @property
    def url(self) -> str:
        return ORIGIN + self.path

    @property
    def listing_precision(self) -> str:
        return {"multimedia": "day", "event": "day"}.get(self.kind.template, "month")

    @property
    def truth_precision(self) -> str:
        ranks = {"year": 1, "month": 2, "day": 3}
        shown = [self.listing_precision, self.page_precision]
        return max((p for p in shown if p), key=ranks.__getitem__)

    @property
    def truth_published(self) -> dt.date:
        precision = self.truth_precision
        if precision == "day":
            return self.date
        if precision == "month":
            return self.date.replace(day=1)
        return self.date.replace(month=1, day=1)


@dataclass
class SiteInfo:
    """What ``generate_site`` wrote."""

    root: str
    truth_path: str
    publications: int
    seed: int
    listing_files: int
    listing_urls: int  # distinct listing pages a crawl visits (normalized URLs)
    detail_files: int
    bytes: int
    max_pager_page: int
    pages_per_block: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    translation_pairs: int = 0


def _slugify(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    stop = {
        "a",
        "an",
        "the",
        "and",
        "of",
        "in",
        "for",
        "to",
        "el",
        "la",
        "los",
        "las",
        "y",
        "de",
        "en",
        "del",
        "un",
        "una",
        "para",
        "por",
    }
    kept = [w for w in words if w not in stop][:8]
    return "-".join(kept) or "publication"


def _pick_authors(rng: random.Random, count: int) -> tuple[str, ...]:
    names: list[str] = []
    while len(names) < count:
        if rng.random() < 0.7:
            # staff repeat with a Zipf-like preference for the first names on the list
            name = STAFF[min(int(rng.paretovariate(1.2)) - 1, len(STAFF) - 1)]
        else:
            name = f"{rng.choice(GUEST_FIRST)} {rng.choice(GUEST_LAST)}"
        if name not in names:
            names.append(name)
    return tuple(names)


def _compose(rng: random.Random, kind: Kind, language: str) -> tuple[str, str]:
    """A title and a one- or two-sentence summary in ``language``."""
    if language == "es":
        title = f"{rng.choice(TOPICS_ES)}: {rng.choice(ANGLES_ES)} en {rng.choice(REGIONS_ES)}"
        noun = SUMMARY_NOUN_ES.get(kind.name, "trabajo")
        summary = (
            f"Este {noun} examina {rng.choice(ANGLES_ES).lower()} en {rng.choice(REGIONS_ES)}, "
            f"{rng.choice(CLAUSES_ES)}."
        )
        return title, summary
    title = f"{rng.choice(TOPICS_EN)}: {rng.choice(ANGLES_EN)} in {rng.choice(REGIONS_EN)}"
    noun = SUMMARY_NOUN_EN[kind.name]
    summary = (
        f"This {noun} examines {rng.choice(ANGLES_EN).lower()} in {rng.choice(REGIONS_EN)}, "
        f"{rng.choice(CLAUSES_EN)}."
    )
    if rng.random() < 0.5:
        summary += " " + rng.choice(PARAGRAPHS_EN).split(". ")[0].rstrip(".") + "."
    return title, summary


def _paragraphs(rng: random.Random, language: str) -> tuple[str, ...]:
    pool = PARAGRAPHS_ES if language == "es" else PARAGRAPHS_EN
    return tuple(rng.sample(pool, rng.randint(2, min(4, len(pool)))))


def _speakers(rng: random.Random, language: str) -> tuple[tuple[str, str], ...]:
    roles = ROLES_ES if language == "es" else ROLES_EN
    names = _pick_authors(rng, rng.randint(2, 4))
    return tuple((name, rng.choice(roles)) for name in names)


def build_publications(count: int, seed: int = 0) -> list[Publication]:
    """The ``count`` publications of the site, newest first (the listings' order)."""
    rng = random.Random(seed)
    span = (LAST_DATE - FIRST_DATE).days
    dates = sorted(
        (FIRST_DATE + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(count)),
        reverse=True,
    )
    weights = [k.weight for k in KINDS]
    publications: list[Publication] = []
    slugs: set[str] = set()

    def new(kind: Kind, language: str, date: dt.date, like: Publication | None) -> Publication:
        index = len(publications)
        title, summary = _compose(rng, kind, language)
        base = _slugify(title)
        slug = base if base not in slugs else f"{base}-{index}"
        slugs.add(slug)
        if kind.template == "research":
            precision = "day" if rng.random() < DAY_ON_PAGE_SHARE else "month"
            if like is not None:
                precision = like.page_precision or precision
        elif kind.template == "article":
            precision = None if rng.random() < UNDATED_ARTICLE_SHARE else "year"
        elif kind.template == "commentary":
            precision = "month"
        else:
            precision = "day"
        authors: tuple[str, ...] = ()
        speakers: tuple[tuple[str, str], ...] = ()
        if kind.template in ("research", "article", "commentary"):
            authors = like.authors if like else _pick_authors(rng, rng.choice((1, 2, 2, 3, 4, 5)))
        else:
            speakers = _speakers(rng, language)
        return Publication(
            index=index,
            kind=kind,
            language=language,
            slug=slug,
            title=title,
            summary=summary,
            paragraphs=_paragraphs(rng, language),
            date=date,
            page_precision=precision,
            page_spanish_date=(
                language == "es" and precision == "day" and rng.random() < SPANISH_DATE_SHARE
            ),
            page_label=rng.choice(kind.page_labels),
            authors=authors,
            speakers=speakers,
            node=hashlib.sha1(f"{seed}-{index}".encode()).hexdigest()[:5],
            no_title_row=kind.template == "research" and rng.random() < NO_TITLE_ROW_SHARE,
            trailing_slash=rng.random() < TRAILING_SLASH_SHARE,
        )

    position = 0
    while len(publications) < count:
        date = dates[position]
        position += 1
        kind = rng.choices(KINDS, weights)[0]
        spanish_only = kind.name == "audio" and rng.random() < SPANISH_ONLY_AUDIO_SHARE
        english = new(kind, "es" if spanish_only else "en", date, None)
        publications.append(english)
        if kind.translatable and len(publications) < count and rng.random() < TRANSLATED_SHARE:
            twin = new(kind, "es", date, english)
            twin.translation, english.translation = english.index, len(publications)
            publications.append(twin)
            position += 1  # the twin takes the next date slot: dates stay sorted
    return publications


# ------------------------------------------------------------------------- markup helpers


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _date_text(date: dt.date, precision: str, *, spanish: bool = False) -> str:
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{MONTHS[date.month - 1]} {date.year}"
    if spanish:
        return f"{date.day} de {MESES[date.month - 1]} de {date.year}"
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


def _date_span(pub: Publication, text: str) -> str:
    shown = pub.date if pub.truth_precision == "day" else pub.date.replace(day=1)
    return (
        '<span class="date-display-single" property="dc:date" datatype="xsd:dateTime" '
        f'content="{shown.isoformat()}T00:00:00-05:00">{_esc(text)}</span>'
    )


def _person_slug(name: str) -> str:
    return _slugify(name.replace(".", ""))


def _person(name: str) -> str:
    if name in STAFF:
        return f'<a href="/about/people/{_person_slug(name)}">{_esc(name)}</a>'
    return _esc(name)


def _byline_list(names: Sequence[str], *, ampersand: bool = False) -> str:
    parts = [_person(n) for n in names]
    if len(parts) == 1:
        return parts[0]
    joiner = " &amp; " if ampersand else " and "
    return ", ".join(parts[:-1]) + joiner + parts[-1]


def _image_alt(pub: Publication) -> str:
    pattern = IMAGE_NAMES[pub.index % len(IMAGE_NAMES)]
    short = "".join(w.capitalize() for w in pub.slug.split("-")[:3])
    return pattern.format(slug=short, year=pub.date.year)


def _image_src(pub: Publication, style: str) -> str:
    token = hashlib.sha1(pub.slug.encode()).hexdigest()[:8]
    name = _image_alt(pub).replace(" ", "%20")
    return f"/sites/default/files/styles/{style}/public/images/{name}.jpg?itok={token}"


def _img(pub: Publication, style: str, width: int, height: int) -> str:
    alt = _esc(_image_alt(pub))
    return (
        f'<img typeof="foaf:Image" src="{_image_src(pub, style)}" width="{width}" '
        f'height="{height}" alt="{alt}" title="{alt}" />'
    )


def _paragraph_html(paragraphs: Iterable[str], *, lead: bool = False) -> str:
    out = []
    for i, text in enumerate(paragraphs):
        cls = ' class="lead"' if lead and i == 0 else ""
        out.append(f"<p{cls}>{_esc(text)}</p>")
    return "\n".join(out) + "\n"


def _speakers_html(pub: Publication) -> str:
    rows = "\n".join(
        f"<p><strong>{_esc(name)}</strong>, {_esc(role)}</p>" for name, role in pub.speakers
    )
    return (
        '<div class="field field-name-field-speakers field-label-above"><div class="field-label">'
        'Speakers:&nbsp;</div><div class="field-items"><div class="field-item even">'
        f"{rows}\n</div></div></div>"
    )


def _share_tools() -> str:
    return (
        '<div class="share-tools"><span class="share-label">Share</span> <a class="share-twitter" '
        'href="https://twitter.com/intent/tweet?via=MigrationPolicy" target="_blank">Twitter</a> '
        '<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php" '
        'target="_blank">Facebook</a> <a class="share-email" '
        'href="mailto:?subject=Migration%20Policy%20Institute">Email</a> <a class="print-page" '
        'href="javascript:window.print()">Print</a></div>'
    )


# ------------------------------------------------------------------------- chrome


@dataclass(frozen=True)
class Chrome:
    """The constant parts of one template's pages, cut out of its fixture page."""

    prefix: str  # doctype and <html ...>
    head_open: str  # <head ...> and the constant meta lines before the canonical link
    style: str  # the stylesheet block at the end of <head>
    header: str  # from the skip link to just before <a id="main-content">
    footer: str  # from <footer> to the end

    def page(self, head: str, body_class: str, content: str) -> str:
        return (
            f"{self.prefix}{self.head_open}{head}{self.style}</head>\n"
            f'<body class="html not-front not-logged-in one-sidebar sidebar-second page-node '
            f'node-type-{body_class}" >\n{self.header}{content}{self.footer}'
        )


def _cut(text: str, start: str, end: str | None, source: Path) -> str:
    try:
        i = text.index(start)
        j = text.index(end, i) if end is not None else len(text)
    except ValueError as error:
        raise RuntimeError(f"{source} no longer has the expected markup ({start!r})") from error
    return text[i:j]


def load_chrome(fixture_site: Path = FIXTURE_SITE) -> dict[str, Chrome]:
    """The chrome of each template, from the fixture pages (raises if they are missing)."""
    chrome = {}
    for template, relpath in CHROME_SOURCES.items():
        source = fixture_site / relpath
        text = source.read_text(encoding="utf-8")
        chrome[template] = Chrome(
            prefix=text[: text.index("<head")],
            head_open=_cut(text, "<head", '<link rel="canonical"', source),
            style=_cut(text, "  <style", "</head>", source),
            header=_cut(text, '<div id="skip-link">', '<a id="main-content"></a>', source),
            footer=_cut(text, "<footer", None, source),
        )
    return chrome


# ------------------------------------------------------------------------- detail pages


def _head(pub: Publication, *, og: bool, hreflang: Publication | None, ld_json: bool) -> str:
    lines = [
        f'<link rel="canonical" href="{pub.url}" />',
        f'<link rel="shortlink" href="{ORIGIN}/node/{10000 + pub.index}" />',
    ]
    if hreflang is not None:
        lines.append(f'<link rel="alternate" hreflang="{pub.language}" href="{pub.url}" />')
        lines.append(
            f'<link rel="alternate" hreflang="{hreflang.language}" href="{hreflang.url}" />'
        )
    if og:
        lines += [
            '<meta property="og:site_name" content="Migration Policy Institute" />',
            '<meta property="og:type" content="article" />',
            f'<meta property="og:url" content="{pub.url}" />',
            f'<meta property="og:title" content="{_esc(pub.title)}" />',
            f'<meta property="og:description" content="{_esc(pub.summary)}" />',
        ]
    if ld_json:
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": pub.title,
            "url": pub.url,
            "inLanguage": pub.language,
            "publisher": {"@type": "Organization", "name": "Migration Policy Institute"},
            "author": [{"@type": "Person", "name": a} for a in pub.authors],
        }
        lines.append(
            f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        )
    else:
        lines.append(f'<meta name="description" content="{_esc(pub.summary[:300])}" />')
    lines.append(f"  <title>{_esc(pub.title)} | migrationpolicy.org</title>")
    return "\n".join(lines) + "\n"


def _open_content(title_block: str) -> str:
    return (
        '<a id="main-content"></a>\n'
        f"{title_block}"
        '<div class="region region-content"><div id="block-system-main" class="block '
        'block-system"><div class="content">\n'
    )


CLOSE_CONTENT = "</div></div></div>\n"
CLOSE_MAIN = "  </div></div>\n</div></div>\n"


def _title_block(pub: Publication, label_html: str = "") -> str:
    return (
        f'<div id="page-title-wrapper">{label_html}<h1 class="title" id="page-title">'
        f"{_esc(pub.title)}</h1></div>\n"
    )


def _translation_field(pub: Publication, other: Publication | None, text: str) -> str:
    if other is None:
        return ""
    return (
        '<div class="field field-name-field-translation field-type-link-field '
        'field-label-hidden"><div class="field-items"><div class="field-item even">'
        f'<a href="{other.path}">{_esc(text)}</a></div></div></div>'
    )


def _page_date_text(pub: Publication) -> str | None:
    if pub.page_precision is None:
        return None
    if pub.kind.template == "event":
        weekday = WEEKDAYS[pub.date.weekday()]
        return f"{weekday}, {_date_text(pub.date, 'day')}"
    return _date_text(pub.date, pub.page_precision, spanish=pub.page_spanish_date)


def _related(pubs: Sequence[Publication], pub: Publication) -> str:
    other = pubs[(pub.index + 7) % len(pubs)]
    return (
        '<aside class="region region-sidebar-second"><div class="block block-views '
        'related-research"><h2 class="block-title">Related Research</h2><div class="content">'
        f'<div class="item-list"><ul><li class="views-row"><a href="{other.path}">'
        f"{_esc(other.title)}</a></li></ul></div>"
        f'<a class="more-link" href="{PROGRAM_PATH}">More from this program</a></div></div>'
        "</aside>\n"
    )


def research_page(pub: Publication, other: Publication | None, pubs: Sequence[Publication]) -> str:
    label = f'<div class="pub-type field-name-field-publication-type">{_esc(pub.page_label)}</div>'
    lang_attr = ' lang="es" xml:lang="es"' if pub.language == "es" else ""
    link_text = (
        "Read this report in English" if pub.language == "es" else ("Lea este informe en español")
    )
    pdf = f"MPI-{pub.slug[:40]}-{pub.date.year}{'_ESP' if pub.language == 'es' else ''}.pdf"
    date_text = _page_date_text(pub)
    return (
        _open_content(_title_block(pub, label))
        + f'<div id="node-{pub.node}" class="node node-publication node-full clearfix"{lang_attr}'
        f' about="{pub.path}" typeof="sioc:Item foaf:Document">\n  <div class="content">\n'
        '    <div class="field field-name-field-authors field-type-node-reference '
        'field-label-inline clearfix"><div class="field-label">By&nbsp;</div><div '
        'class="field-items"><div class="field-item even">'
        f"{_byline_list(pub.authors, ampersand=pub.language == 'es' and len(pub.authors) == 2)}"
        "</div></div></div>\n"
        '    <div class="field field-name-field-date field-type-datetime field-label-hidden">'
        '<div class="field-items"><div class="field-item even">'
        f"{_date_span(pub, date_text or '')}</div></div></div>\n"
        '    <div class="field field-name-field-cover-image field-type-image '
        'field-label-hidden"><div class="field-items"><div class="field-item even">'
        f"{_img(pub, 'large', 440, 570)}</div></div></div>\n"
        '    <div class="field field-name-field-pdf field-type-file field-label-hidden '
        'download-button"><a class="btn btn-download" '
        f'href="/sites/default/files/publications/{pdf}" type="application/pdf; '
        f'length={40000 + pub.index}" target="_blank">Download</a></div>\n'
        f"    {_translation_field(pub, other, link_text)}\n"
        '    <div class="field field-name-body field-type-text-with-summary field-label-hidden">'
        '<div class="field-items"><div class="field-item even" property="content:encoded">'
        f"{_paragraph_html((pub.summary, *pub.paragraphs))}</div></div></div>\n"
        f"    {_share_tools()}\n  </div>\n</div>\n"
        + CLOSE_CONTENT
        + _related(pubs, pub)
        + CLOSE_MAIN
    )


def article_page(pub: Publication) -> str:
    date_text = _page_date_text(pub)
    date = f" &nbsp;|&nbsp; {_date_span(pub, date_text)}" if date_text else ""
    byline = _byline_list(pub.authors)
    return (
        _open_content(
            '<div class="source-banner"><a href="/programs/migration-information-source">'
            "Migration Information Source</a></div>\n" + _title_block(pub)
        )
        + f'<article id="node-{pub.node}" class="node node-article node-full clearfix" '
        f'about="{pub.path}" typeof="sioc:Item foaf:Document">\n'
        f'  <div class="article-meta"><span class="field-name-field-article-type">'
        f"{_esc(pub.page_label)}</span>{date}</div>\n"
        f'  <div class="byline field-name-field-authors">By {byline}</div>\n'
        '  <div class="field field-name-field-image"><figure>'
        f"{_img(pub, 'article_full', 700, 466)}"
        '<figcaption class="caption">Migrants walk along a highway near Tapachula, Chiapas. '
        "(Photo: IOM/Rafael Rodríguez)</figcaption></figure></div>\n"
        '  <div class="field field-name-body field-type-text-with-summary field-label-hidden">'
        '<div class="field-items"><div class="field-item even" property="content:encoded">'
        f"{_paragraph_html((pub.summary, *pub.paragraphs), lead=True)}</div></div></div>\n"
        f"  {_share_tools()}\n</article>\n" + CLOSE_CONTENT + CLOSE_MAIN
    )


def commentary_page(pub: Publication) -> str:
    authors = _byline_list(pub.authors, ampersand=len(pub.authors) == 2)
    return (
        _open_content(_title_block(pub))
        + f'<div id="node-{pub.node}" class="node node-commentary node-full clearfix" '
        f'about="{pub.path}" typeof="sioc:Item foaf:Document">\n'
        f'  <div class="field field-name-field-publication-type">{_esc(pub.page_label)}</div>\n'
        '  <div class="field field-name-field-date field-type-datetime field-label-hidden">'
        '<div class="field-items"><div class="field-item even">'
        f"{_date_span(pub, _page_date_text(pub) or '')}</div></div></div>\n"
        '  <div class="field field-name-field-image"><div class="field-items"><div '
        f'class="field-item even">{_img(pub, "large", 700, 466)}</div></div><div '
        'class="image-credit">Amanda Nero/IOM</div></div>\n'
        '  <div class="field field-name-body field-type-text-with-summary field-label-hidden">'
        '<div class="field-items"><div class="field-item even" property="content:encoded">'
        f"{_paragraph_html((pub.summary, *pub.paragraphs))}</div></div></div>\n"
        '  <div class="field field-name-field-authors field-type-node-reference '
        'field-label-above"><div class="field-label">Authors:&nbsp;</div><div '
        f'class="field-items"><div class="field-item even">{authors}</div></div></div>\n'
        f"  {_share_tools()}\n</div>\n" + CLOSE_CONTENT + CLOSE_MAIN
    )


def _media_tabs(pub: Publication, *, video: bool) -> str:
    token = hashlib.sha1(pub.slug.encode()).hexdigest()[:11]
    parts = ['<div class="multimedia-tabs"><h2 class="element-invisible">Multimedia Tabs</h2>']
    if video:
        parts.append(
            '<h3>Video</h3><div class="media-youtube-video"><iframe width="640" height="360" '
            f'src="https://www.youtube.com/embed/{token}?wmode=opaque" frameborder="0" '
            "allowfullscreen></iframe></div>"
        )
    parts.append(
        '<h3>Audio</h3><div class="audio-player"><a href="https://migrationpolicy.podbean.com/'
        f'mf/web/{token}/{pub.slug[:40]}.mp3">Download MP3</a></div></div>'
    )
    return "".join(parts)


def multimedia_page(pub: Publication, other: Publication | None) -> str:
    link_text = (
        "Click here to view this video in English."
        if pub.language == "es"
        else "Haga clic aquí para ver este video en español."
    )
    return (
        _open_content(_title_block(pub))
        + f'<div id="node-{pub.node}" class="node node-multimedia node-full clearfix" '
        f'about="{pub.path}">\n'
        f'  <div class="field field-name-field-multimedia-type">{_esc(pub.page_label)}</div>\n'
        '  <div class="field field-name-field-date field-type-datetime field-label-hidden">'
        '<div class="field-items"><div class="field-item even">'
        f"{_date_span(pub, _page_date_text(pub) or '')}</div></div></div>\n"
        f"  {_translation_field(pub, other, link_text)}\n"
        f"  {_media_tabs(pub, video=pub.kind.name != 'audio')}\n"
        f"  {_speakers_html(pub)}\n"
        '  <div class="field field-name-body"><div class="field-items"><div '
        f'class="field-item even">{_paragraph_html((pub.summary, *pub.paragraphs))}'
        "</div></div></div>\n"
        f"  {_share_tools()}\n</div>\n" + CLOSE_CONTENT + CLOSE_MAIN
    )


def event_page(pub: Publication) -> str:
    moderator_name, moderator_role = pub.speakers[-1]
    return (
        _open_content(_title_block(pub, f'<div class="event-type">{_esc(pub.page_label)}</div>'))
        + f'<div id="node-{pub.node}" class="node node-event node-full clearfix" '
        f'about="{pub.path}">\n'
        f'  <div class="event-when">{_date_span(pub, _page_date_text(pub) or "")} '
        '<span class="event-time">11:00 am &ndash; 12:30 pm EDT</span></div>\n'
        '  <div class="event-host">Migration Policy Institute &nbsp;&bull;&nbsp; Online</div>\n'
        f"  {_speakers_html(pub)}"
        '<div class="field field-name-field-moderator field-label-above"><div '
        'class="field-label">Moderator:&nbsp;</div><div class="field-items"><div '
        f'class="field-item even"><p><strong>{_esc(moderator_name)}</strong>, '
        f"{_esc(moderator_role)}</p></div></div></div>\n"
        '  <div class="field field-name-body"><div class="field-items"><div '
        f'class="field-item even">{_paragraph_html((pub.summary, *pub.paragraphs))}'
        "</div></div></div>\n"
        f"  {_media_tabs(pub, video=True)}\n"
        '  <p class="event-contact">Questions? Contact <a href="mailto:events@migrationpolicy.org">'
        "events@migrationpolicy.org</a>.</p>\n</div>\n" + CLOSE_CONTENT + CLOSE_MAIN
    )


def detail_page(pub: Publication, pubs: Sequence[Publication], chrome: dict[str, Chrome]) -> str:
    """The full HTML of ``pub``'s own page."""
    other = pubs[pub.translation] if pub.translation is not None else None
    template = pub.kind.template
    if template == "research":
        head = _head(pub, og=True, hreflang=other, ld_json=False)
        return chrome[template].page(head, "research", research_page(pub, other, pubs))
    if template == "article":
        head = _head(pub, og=True, hreflang=None, ld_json=True)
        return chrome[template].page(head, "article", article_page(pub))
    if template == "commentary":
        head = _head(pub, og=True, hreflang=None, ld_json=False)
        return chrome[template].page(head, "commentary", commentary_page(pub))
    if template == "multimedia":
        head = _head(pub, og=False, hreflang=other, ld_json=False)
        return chrome[template].page(head, "multimedia", multimedia_page(pub, other))
    head = _head(pub, og=False, hreflang=None, ld_json=False)
    return chrome[template].page(head, "event", event_page(pub))


# ------------------------------------------------------------------------- listing pages


def pager_href(element: int, page: int) -> str:
    """The link Drupal renders for ``page`` of pager ``element`` (other pagers on page 0)."""
    if element == FEATURED_ELEMENT:
        return PROGRAM_PATH if page == 0 else f"{PROGRAM_PATH}?page={page}"
    tab = next(t for t, e in TAB_ELEMENT.items() if e == element)
    vector = "%2C".join(["0"] * element + [str(page)])
    return f"{PROGRAM_PATH}?{QT}={tab}&amp;page={vector}"


def pager_html(element: int, current: int, total: int, *, numbered: bool = True) -> str:
    """Drupal 7's ``theme_pager`` (quantity 9) for one pager element."""
    if total <= 1:
        return ""
    items: list[tuple[str, str]] = []  # (class, inner html)

    def link(cls: str, title: str, page: int, text: str) -> None:
        items.append((cls, f'<a title="{title}" href="{pager_href(element, page)}">{text}</a>'))

    if current > 0:
        link("pager-first", "Go to first page", 0, "&laquo; first")
        link("pager-previous", "Go to previous page", current - 1, "&lsaquo; previous")
    if numbered:
        middle = math.ceil(PAGER_QUANTITY / 2)
        first = current + 1 - middle + 1
        last = current + 1 + PAGER_QUANTITY - middle
        if last > total:
            first -= last - total
            last = total
        if first < 1:
            last += 1 - first
            first = 1
        last = min(last, total)
        if first > 1:
            items.append(("pager-ellipsis", "&hellip;"))
        for number in range(first, last + 1):
            if number == current + 1:
                items.append(("pager-current", str(number)))
            else:
                link("pager-item", f"Go to page {number}", number - 1, str(number))
        if last < total:
            items.append(("pager-ellipsis", "&hellip;"))
    elif current == 0:
        items.append(("pager-current", "1"))
    if current < total - 1:
        link("pager-next", "Go to next page", current + 1, "next &rsaquo;")
        link("pager-last", "Go to last page", total - 1, "last &raquo;")
    lis = []
    for i, (cls, inner) in enumerate(items):
        extra = (" first" if i == 0 else "") + (" last" if i == len(items) - 1 else "")
        lis.append(f'<li class="{cls}{extra}">{inner}</li>')
    return (
        '<div class="item-list"><h2 class="element-invisible">Pages</h2><ul class="pager">'
        + "".join(lis)
        + "</ul></div>"
    )


def _row_classes(position: int, count: int) -> str:
    parity = "odd" if position % 2 == 0 else "even"
    cls = f"views-row views-row-{position + 1} views-row-{parity}"
    if position == 0:
        cls += " views-row-first"
    if position == count - 1:
        cls += " views-row-last"
    return cls


def _field(name: str, inner: str, *, tag: str = "div", label: str = "") -> str:
    return (
        f'  <div class="views-field views-field-{name}">{label}        '
        f'<{tag} class="field-content">{inner}</{tag}>  </div>'
    )


def _link(pub: Publication, *, utm: bool = False, slash: bool = False) -> str:
    href = pub.path + ("/" if slash else "")
    if utm:
        href += "?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=regional-migration"
    return href


def _authors_field(pub: Publication) -> str:
    return (
        '  <div class="views-field views-field-field-authors">    <span class="views-label '
        'views-label-field-authors">By&nbsp; </span>    <div class="field-content">'
        f"{_byline_list(pub.authors)}</div>  </div>"
    )


def _listing_date(pub: Publication) -> str:
    return _date_span(pub, _date_text(pub.date, pub.listing_precision))


def featured_row(pub: Publication, position: int, count: int) -> str:
    href = _link(pub, utm=position == count - 1)
    return "\n".join(
        (
            f'  <div class="{_row_classes(position, count)}">',
            _field("field-image", f'<a href="{href}">{_img(pub, "thumbnail", 220, 285)}</a>'),
            _field(
                "title",
                f'<a href="{pub.path}">\n          {_esc(pub.title)}\n        </a>',
                tag="span",
            ),
            _field("field-publication-type", _esc(pub.kind.listing_label)),
            _field("field-date", _listing_date(pub)),
            _authors_field(pub) + "  </div>",
        )
    )


def research_row(pub: Publication, position: int, count: int) -> str:
    href = _link(pub, slash=pub.trailing_slash)
    lines = [
        f'  <div class="{_row_classes(position, count)}">',
        _field("field-image", f'<a href="{href}">{_img(pub, "thumbnail", 220, 285)}</a>'),
    ]
    if not pub.no_title_row:
        lines.append(_field("title", f'<a href="{href}">{_esc(pub.title)}</a>', tag="span"))
    lines += [
        _field("field-publication-type", _esc(pub.kind.listing_label)),
        _field("field-date", _listing_date(pub)),
        _authors_field(pub) + "  </div>",
    ]
    return "\n".join(lines)


def article_row(pub: Publication, position: int, count: int) -> str:
    return "\n".join(
        (
            f'  <div class="{_row_classes(position, count)}">',
            _field(
                "field-image", f'<a href="{pub.path}">{_img(pub, "article_teaser", 300, 200)}</a>'
            ),
            _field("field-teaser", f"<p>{_esc(pub.summary)}</p>\n") + "  </div>",
        )
    )


def multimedia_row(pub: Publication, position: int, count: int) -> str:
    return "\n".join(
        (
            f'  <div class="{_row_classes(position, count)}">',
            _field(
                "field-image",
                f'<a href="{pub.path}">{_img(pub, "multimedia_teaser", 300, 169)}</a>',
            ),
            _field("field-multimedia-type", _esc(pub.kind.listing_label)),
            _field("field-date", _listing_date(pub)),
            _field("field-teaser", f"<p>{_esc(pub.summary)}&nbsp;</p>") + "  </div>",
        )
    )


def recent_row(pub: Publication, position: int, count: int) -> str:
    return "\n".join(
        (
            f'  <div class="{_row_classes(position, count)}">',
            _field("type", f'<a href="{pub.path}">{_esc(pub.kind.listing_label)}</a>', tag="span"),
            _field("field-date", _listing_date(pub)),
            _field("field-teaser", f"<p>{_esc(pub.summary)}</p>") + "  </div>",
        )
    )


def study_group_rows(pubs: Sequence[Publication]) -> str:
    rows = []
    for position, pub in enumerate(pubs):
        cls = _row_classes(position, len(pubs))
        rows.append(
            f'          <li class="{cls}">  \n'
            '  <span class="views-field views-field-title">        <span class="field-content">'
            f'<a href="{pub.path}">{_esc(pub.title)}</a></span>  </span>  \n'
            '  <span class="views-field views-field-field-date">        <span '
            f'class="field-content">{_listing_date(pub)}</span>  </span></li>'
        )
    return "\n".join(rows)


@dataclass(frozen=True)
class Block:
    """A paged Views block on the program page."""

    name: str
    view: str  # view-<name> classes: (css name, view id, display id)
    element: int
    per_page: int
    items: tuple[int, ...]  # publication indexes, in listing order
    row: str  # row renderer

    def pages(self) -> int:
        return max(1, math.ceil(len(self.items) / self.per_page))


ROW_RENDERERS = {
    "featured": featured_row,
    "research": research_row,
    "articles": article_row,
    "multimedia": multimedia_row,
    "recent": recent_row,
}
VIEWS = {
    "featured": ("featured-content", "featured_content", "block_1"),
    "research": ("program-research", "program_research", "block_2"),
    "articles": ("program-articles", "program_articles", "block_3"),
    "multimedia": ("program-multimedia", "program_multimedia", "block_4"),
    "study_group": ("rmsg-publications", "rmsg_publications", "block_6"),
    "recent": ("recent-activity-v2", "recent_activity_v2", "block_5"),
}


def build_blocks(pubs: Sequence[Publication]) -> dict[str, Block]:
    research = tuple(p.index for p in pubs if p.kind.tab == 0)
    featured = research[: FEATURED_PER_PAGE * FEATURED_PAGES]
    return {
        "featured": Block(
            "featured", "featured", FEATURED_ELEMENT, FEATURED_PER_PAGE, featured, "featured"
        ),
        "research": Block("research", "research", TAB_ELEMENT[0], PER_PAGE, research, "research"),
        "articles": Block(
            "articles",
            "articles",
            TAB_ELEMENT[1],
            PER_PAGE,
            tuple(p.index for p in pubs if p.kind.tab == 1),
            "articles",
        ),
        "multimedia": Block(
            "multimedia",
            "multimedia",
            TAB_ELEMENT[2],
            PER_PAGE,
            tuple(p.index for p in pubs if p.kind.tab == 2),
            "multimedia",
        ),
        "recent": Block(
            "recent", "recent", TAB_ELEMENT[4], PER_PAGE, tuple(p.index for p in pubs), "recent"
        ),
    }


class ListingRenderer:
    """Renders program pages; each block page is rendered once and reused."""

    def __init__(self, pubs: Sequence[Publication], chrome: Chrome, intro: str) -> None:
        self.pubs = pubs
        self.chrome = chrome
        self.intro = intro
        self.blocks = build_blocks(pubs)
        research = [p for p in pubs if p.kind.tab == 0]
        self.study_group = research[-STUDY_GROUP_ROWS:] if research else []
        self._cache: dict[tuple[str, int], str] = {}
        self._head = (
            f'<link rel="canonical" href="{ORIGIN}{PROGRAM_PATH}" />\n'
            f'<link rel="shortlink" href="{ORIGIN}/node/47179" />\n'
            f"  <title>{PROGRAM_TITLE} | migrationpolicy.org</title>\n"
        )

    def _view(self, name: str, inner: str, pager: str, dom: str) -> str:
        css, view_id, display = VIEWS[name]
        return (
            f'<div class="view view-{css} view-id-{view_id} view-display-id-{display} '
            f'view-dom-id-{dom}">\n      <div class="view-content">\n{inner}\n    </div>\n'
            f"  {pager}\n  \n  \n  \n  \n</div>\n"
        )

    def block_page(self, name: str, page: int) -> str:
        key = (name, page)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        block = self.blocks[name]
        items = block.items[page * block.per_page : (page + 1) * block.per_page]
        renderer = ROW_RENDERERS[block.row]
        rows = "\n".join(
            renderer(self.pubs[i], position, len(items)) for position, i in enumerate(items)
        )
        pager = pager_html(
            block.element, page, block.pages(), numbered=block.element != FEATURED_ELEMENT
        )
        dom = hashlib.md5(f"{name}-{page}".encode()).hexdigest()
        html_text = self._view(name, rows, pager, dom)
        if len(self._cache) < 4096:
            self._cache[key] = html_text
        return html_text

    def _tabs(self, active: int) -> str:
        items = []
        for tab, label in enumerate(TAB_NAMES):
            cls = " ".join(
                c
                for c in (
                    "active" if tab == active else "",
                    "first" if tab == 0 else "",
                    "last" if tab == len(TAB_NAMES) - 1 else "",
                )
                if c
            )
            link_cls = "active" if tab == active else "qt-tab"
            items.append(
                f'<li class="{cls}"><a href="{PROGRAM_PATH}?{QT}={tab}#{QT}" '
                f'id="quicktabs-tab-regional_study_group_tabs-{tab}" class="{link_cls}">'
                f"{label}</a></li>"
            )
        return (
            '<div  id="quicktabs-regional_study_group_tabs" class="quicktabs-wrapper '
            'quicktabs-style-nostyle"><div class="item-list"><ul class="quicktabs-tabs '
            'quicktabs-style-nostyle">\n' + "".join(items) + "</ul></div>"
            '<div id="quicktabs-container-regional_study_group_tabs" class="quicktabs_main '
            'quicktabs-style-nostyle">\n'
        )

    def _tabpage(self, tab: int, active: int, inner: str) -> str:
        hide = "" if tab == active else " quicktabs-hide"
        return (
            f'<div id="quicktabs-tabpage-regional_study_group_tabs-{tab}" '
            f'class="quicktabs-tabpage{hide}">\n{inner}</div>\n'
        )

    def page(self, active: int, vector: Sequence[int]) -> str:
        """The program page with quicktab ``active`` open and pagers at ``vector``."""
        study = (
            '<div class="view view-rmsg-publications view-id-rmsg_publications '
            'view-display-id-block_6 view-dom-id-463a76ecf56762c71ccd4281c4e658f8">\n'
            '      <div class="view-content">\n    <div class="item-list">    <ul>\n'
            f"{study_group_rows(self.study_group)}\n      </ul></div>    </div>\n"
            "  \n  \n  \n  \n</div>\n"
        )
        tabs = [
            self.block_page("research", vector[TAB_ELEMENT[0]]),
            self.block_page("articles", vector[TAB_ELEMENT[1]]),
            self.block_page("multimedia", vector[TAB_ELEMENT[2]]),
            study,
            '<h2 class="pane-title">Recent Activity</h2>\n'
            + self.block_page("recent", vector[TAB_ELEMENT[4]]),
        ]
        content = (
            self.intro
            + '<div id="block-views-featured-content-block-1" class="block block-views">\n'
            '  <h2 class="block-title">Recent Activity</h2>\n  <div class="content">\n'
            + self.block_page("featured", vector[FEATURED_ELEMENT])
            + "  </div>\n</div>\n"
            '<div id="block-quicktabs-regional-study-group-tabs" class="block block-quicktabs">\n'
            '  <div class="content">\n'
            + self._tabs(active)
            + "".join(self._tabpage(t, active, inner) for t, inner in enumerate(tabs))
            + "</div></div>  </div>\n</div>\n  </div></div>\n</div></div>\n"
        )
        return self.chrome.page(self._head, "program", content)

    def listing_urls(self) -> dict[str, tuple[int, tuple[int, ...]]]:
        """Every listing URL the site links (as linked, unescaped) -> (active tab, vector)."""
        width = max(TAB_ELEMENT.values()) + 1
        zero = (0,) * width
        urls: dict[str, tuple[int, tuple[int, ...]]] = {PROGRAM_PATH: (0, zero)}
        for tab in range(len(TAB_NAMES)):
            urls[f"{PROGRAM_PATH}?{QT}={tab}"] = (tab, zero)
        for block in self.blocks.values():
            tab = next((t for t, e in TAB_ELEMENT.items() if e == block.element), 0)
            for page in range(block.pages()):
                vector = list(zero)
                vector[block.element] = page
                href = pager_href(block.element, page).replace("&amp;", "&")
                urls.setdefault(href, (tab, tuple(vector)))
        return urls


def _program_intro(fixture_site: Path) -> str:
    source = fixture_site / CHROME_SOURCES["program"]
    text = source.read_text(encoding="utf-8")
    return _cut(
        text, '<a id="main-content"></a>', '<div id="block-views-featured-content-block-1"', source
    )


# ------------------------------------------------------------------------- the site


def _write(root: Path, url_path: str, text: str) -> int:
    path = root / snapshot_relpath(ORIGIN + url_path, with_host=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def truth_record(pub: Publication, pubs: Sequence[Publication]) -> dict:
    return {
        "url": pub.url,
        "path": pub.path,
        "template": pub.kind.template,
        "title": pub.title,
        "content_type": pub.kind.content_type,
        "language": pub.language,
        "published": pub.truth_published.isoformat(),
        "date_precision": pub.truth_precision,
        "authors": list(pub.authors),
        "translation_of": pubs[pub.translation].url if pub.translation is not None else None,
    }


def generate_site(
    root: Path | str,
    publications: int = 5000,
    seed: int = 0,
    *,
    fixture_site: Path = FIXTURE_SITE,
    truth_path: Path | str | None = None,
) -> SiteInfo:
    """Write the site under ``root`` (emptied first) and its ground truth; return a summary.

    ``truth_path`` defaults to ``<root>/../ground-truth.json``.
    """
    if publications < 1:
        raise ValueError("publications must be >= 1")
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    truth_file = Path(truth_path) if truth_path else root.parent / GROUND_TRUTH
    chrome = load_chrome(fixture_site)
    pubs = build_publications(publications, seed)
    for name in COPIED_FILES:
        shutil.copyfile(fixture_site / name, root / name)

    total = 0
    for pub in pubs:
        total += _write(root, pub.path, detail_page(pub, pubs, chrome))

    renderer = ListingRenderer(pubs, chrome["program"], _program_intro(fixture_site))
    listing = renderer.listing_urls()
    for href, (active, vector) in sorted(listing.items()):
        total += _write(root, href, renderer.page(active, vector))

    from regmig_scraper.sites.mpi.pager import normalize_listing_url

    normalized = {normalize_listing_url(ORIGIN + href) for href in listing}
    blocks = renderer.blocks
    info = SiteInfo(
        root=str(root),
        truth_path=str(truth_file),
        publications=len(pubs),
        seed=seed,
        listing_files=len(listing),
        listing_urls=len(normalized),
        detail_files=len(pubs),
        bytes=total,
        max_pager_page=max(b.pages() for b in blocks.values()) - 1,
        pages_per_block={name: b.pages() for name, b in blocks.items()},
        languages=_count(p.language for p in pubs),
        kinds=_count(p.kind.name for p in pubs),
        translation_pairs=sum(1 for p in pubs if p.translation is not None) // 2,
    )
    truth = {
        "site": asdict(info),
        "start_path": PROGRAM_PATH,
        "origin": ORIGIN,
        "program_title": PROGRAM_TITLE,
        "publications": [truth_record(p, pubs) for p in pubs],
    }
    truth_file.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    logger.info("Generated %s publications, %s listing pages in %s", len(pubs), len(listing), root)
    return info


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Generate the synthetic MPI program site.")
    parser.add_argument("root", help="output directory (emptied first)")
    parser.add_argument("--publications", "-n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    info = generate_site(args.root, args.publications, args.seed)
    print(json.dumps(asdict(info), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
