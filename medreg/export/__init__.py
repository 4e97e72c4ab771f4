"""A dossier (classification, answers, purpose, plans, refinements) as a dated memo someone can sign:
Markdown (markdown_report) or printable HTML (html_report), with what it rests on (provenance) and
what is not verified; changes in words (changes), the timeline as SVG (timeline)."""
from __future__ import annotations

from medreg.export.facts import dossier_language, qualification_rows, standard_label, weeks_text
from medreg.export.html_report import to_html
from medreg.export.labels import LABELS, PURPOSE_FIELDS
from medreg.export.markdown_report import to_markdown
from medreg.export.provenance import Provenance, provenance

__all__ = ["LABELS", "PURPOSE_FIELDS", "Provenance", "dossier_language", "provenance", "qualification_rows",
           "standard_label", "to_html", "to_markdown", "weeks_text"]
