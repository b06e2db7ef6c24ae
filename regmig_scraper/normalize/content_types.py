"""Map a displayed content-type label ("Policy Briefs", "Video, Audio", "Informes") to a code.

``map_content_type(label)`` returns ``(code, known)``: ``code`` is one of ``CONTENT_TYPES``,
``known`` says whether the label was in the vocabulary. ``None``/empty label -> ``(None, True)``
(nothing to map); an unknown label -> ``("other", False)``.

Matching is case-, accent-, whitespace- and plural-insensitive (``label_key``: "Reports",
"report", " REPORTS " and "Informes"/"informe" meet). A label listing several types
("Video, Audio, Webinars") is looked up whole first, because the vocabulary decides known
combinations (the site files a webinar recording under "Video, Audio, Webinars": a webinar,
while "Video, Audio" is a video); otherwise the first part the vocabulary knows wins.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping

logger = logging.getLogger(__name__)

CONTENT_TYPES = (
    "report",
    "policy_brief",
    "fact_sheet",
    "commentary",
    "article",
    "video",
    "audio",
    "webinar",
    "event",
    "book",
    "testimony",
    "press_release",
    "other",
)
OTHER = "other"

# Labels as the sites print them (English and Spanish) -> code. Keys are written naturally;
# matching goes through ``label_key``, so one spelling per label is enough (plural, case and
# accents do not matter). Combinations are listed whole where the site's meaning differs from
# "first part wins".
VOCABULARY: Mapping[str, str] = {
    # research publications
    "Reports": "report",
    "Research Report": "report",
    "Working Paper": "report",
    "Study": "report",
    "Informes": "report",
    "Reporte": "report",
    "Estudio": "report",
    "Policy Briefs": "policy_brief",
    "Issue Brief": "policy_brief",
    "Brief": "policy_brief",
    "Resumen de políticas": "policy_brief",
    "Fact Sheets": "fact_sheet",
    "Data Snapshot": "fact_sheet",
    "Hojas informativas": "fact_sheet",
    "Ficha informativa": "fact_sheet",
    "Books": "book",
    "Libro": "book",
    "Testimony": "testimony",
    "Congressional Testimony": "testimony",
    "Testimonio": "testimony",
    # commentary and articles
    "Commentaries": "commentary",
    "Comentario": "commentary",
    "Op-Ed": "commentary",
    "Opinion": "commentary",
    "Blog Post": "commentary",
    "Articles": "article",
    "Feature": "article",
    "Spotlight": "article",
    "Profile": "article",
    "Country Profile": "article",
    "Journal Articles": "article",
    "Artículo": "article",
    # multimedia
    "Video": "video",
    "Vídeo": "video",
    "Video, Audio": "video",
    "Audio, Video": "video",
    "Audio": "audio",
    "Podcast": "audio",
    "Podcast Episode": "audio",
    "Webinars": "webinar",
    "Webcast": "webinar",
    "Seminario web": "webinar",
    "Video, Audio, Webinars": "webinar",
    "Video, Webinars": "webinar",
    "Audio, Webinars": "webinar",
    # events
    "Events": "event",
    "Upcoming Event": "event",
    "Past Event": "event",
    "Conference": "event",
    "Evento": "event",
    "Conferencia": "event",
    "Seminario": "event",
    # press
    "Press Releases": "press_release",
    "News Release": "press_release",
    "Press Statement": "press_release",
    "Comunicado de prensa": "press_release",
    # known, but none of the above
    "Other": "other",
    "Otros": "other",
    # --- labels other think tanks use (English and Spanish); MPI's above are unchanged ---
    "Research Paper": "report",
    "Discussion Paper": "report",
    "Occasional Paper": "report",
    "Policy Paper": "report",
    "Documento de trabajo": "report",
    "Policy Memo": "policy_brief",
    "Memo": "policy_brief",
    "Nota de política": "policy_brief",
    "Documento de política": "policy_brief",
    "Informe de política": "policy_brief",
    "Infographic": "fact_sheet",
    "Infografía": "fact_sheet",
    "Blog": "commentary",
    "Entrada de blog": "commentary",
    "Column": "commentary",
    "Columna": "commentary",
    "Analysis": "article",
    "Análisis": "article",
    "Explainer": "article",
    "Interview": "article",
    "Entrevista": "article",
    "Panel Discussion": "event",
    "Workshop": "event",
    "Taller": "event",
    "Forum": "event",
    "Foro": "event",
    "Symposium": "event",
    "Simposio": "event",
    "Media Advisory": "press_release",
    "Nota de prensa": "press_release",
    "Statement": "press_release",
    "Book Chapter": "book",
    "Capítulo de libro": "book",
    "Data Tool": "other",
    "Interactive": "other",
    "Herramienta de datos": "other",
    "Mapa interactivo": "other",
}

# Separators between the parts of a multi-label ("Video, Audio", "Video/Audio", "Video & Audio",
# "Policy Briefs; Reports").
LABEL_SEPARATOR = re.compile(r"\s*[,;|/&+]\s*|\s+(?:and|y)\s+")
# Noise around a label: a count "(12)", a trailing colon or bullet.
LABEL_NOISE = re.compile(r"\(\d{1,6}\)|[:·•»›]+$")
# The longest label worth looking up; a longer "label" is a text dump: unknown.
MAX_LABEL_CHARS = 200


def _singular(word: str) -> str:
    # "commentaries" -> "commentary", "reports" -> "report", "informes" -> "informe",
    # "hojas" -> "hoja"; "press", "analysis", "status", "news" keep their final s.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "is", "us", "ews")):
        return word[:-1]
    return word


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _part_key(part: str) -> str:
    return " ".join(_singular(w) for w in _fold(part).replace("-", " ").split())


def label_key(label: str) -> str:
    """The lookup key of a label: casefolded, accents and plurals off, parts joined by ", "."""
    label = LABEL_NOISE.sub("", label)
    return ", ".join(k for k in (_part_key(p) for p in LABEL_SEPARATOR.split(label)) if k)


def build_lookup(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The vocabulary keyed by ``label_key``, with ``extra`` merged over it (validated)."""
    lookup = {label_key(label): code for label, code in VOCABULARY.items()}
    for label, code in (extra or {}).items():
        if code not in CONTENT_TYPES:
            raise ValueError(
                f"REGMIG_CONTENT_TYPES_EXTRA maps {label!r} to {code!r}, "
                f"which is not one of {CONTENT_TYPES}"
            )
        lookup[label_key(str(label))] = code
    return lookup


def _map(label: str | None, lookup: Mapping[str, str]) -> tuple[str | None, bool]:
    if not isinstance(label, str) or not label.strip():
        return None, True
    if len(label) > MAX_LABEL_CHARS:
        return OTHER, False
    key = label_key(label)
    if not key:
        return None, True
    code = lookup.get(key)
    if code is not None:  # the whole label, exact combinations included
        return code, True
    for part in key.split(", "):  # otherwise the first part the vocabulary knows
        code = lookup.get(part)
        if code is not None:
            return code, True
    return OTHER, False


_DEFAULT_LOOKUP = build_lookup()


@functools.lru_cache(maxsize=4096)
def map_content_type(label: str | None) -> tuple[str | None, bool]:
    """``(code, known)`` for a displayed label; see the module docstring."""
    return _map(label, _DEFAULT_LOOKUP)


def make_mapper(
    extra: Mapping[str, str] | None = None,
) -> Callable[[str | None], tuple[str | None, bool]]:
    """A cached mapper with ``extra`` labels merged over the vocabulary."""
    if not extra:
        return map_content_type
    lookup = build_lookup(extra)
    return functools.lru_cache(maxsize=4096)(functools.partial(_map, lookup=lookup))
