"""What the Migration Policy Institute's pages add to the shared normalizers.

``MpiDrupalSite.rules``: the pipelines read it for every record whose ``site`` is "mpi".
"""

from __future__ import annotations

from regmig_scraper.normalize.site_rules import SiteRules

# The hosts the site publishes on (each with its subdomains).
MPI_HOSTS = ("migrationpolicy.org", "migrationpolicyinstitute-europe.com")

MPI_RULES = SiteRules(
    names=("migrationpolicy.org", "Migration Policy Institute"),
    chrome=(
        "About MPI",
        "Support MPI",
        # MPI's online journal, named in its menus and block headings
        "Migration Information Source",
        # the heading of the program page's multimedia quicktabs
        "Multimedia Tabs",
    ),
    # the program page's own label for its webinars
    content_types={"MPI Webinar": "webinar"},
    languages=("en", "es"),
    date_order="MDY",
)
