"""An example guide in the shape of the 2012 one, for a newcomer to try the system: part 1
as an edition, one tool of part 2's toolbox, each a generated PDF that says on every page
that it is an example. Its title starts with "Voorbeeld", so nobody takes it for the real
guide."""

from __future__ import annotations

from datetime import date, datetime

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.guide.guides import add_edition, add_toolbox_item, publish_guide
from services.guide.models import Guide
from shared.documents import DocumentStore

EXAMPLE = "Voorbeeld: "
SLUG = "voorbeeld-samen-leven-bindt-verschillen"
BY = "gia seed"
# "Beide handreikingen zijn vanaf juli 2012 te downloaden" (letter of 7 June 2012).
FROM = date(2012, 7, 1)
GUIDE = {
    "title": f"{EXAMPLE}Samen leven bindt verschillen",
    "slug": SLUG,
    "summary": "Integratie in (versnelde) transitie. Deel 1 geeft de stand van het "
    "beleidspolitieke debat; deel 2 is een gereedschapskist met praktische voorbeelden en "
    "tips. Een dynamisch product dat steeds wordt aangevuld met actuele vraagstukken.",
    "themes": ["social_tensions", "citizenship", "taboo_subjects", "discrimination"],
    "available_from": FROM,
    "counts_for_awareness": True,
}
EDITION = {"published_on": FROM, "notes": "Eerste editie (voorbeeld)."}
TOOL = {
    "title": f"{EXAMPLE}Het gesprek in de wijk na spanningen",
    "description": "Hoe een gemeente met sleutelfiguren het gesprek voert (voorbeeld).",
    "themes": ["social_tensions"],
    "published_on": FROM,
}


def example_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small PDF whose every page says VOORBEELD above the title."""
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_author("Ministerie van BZK (voorbeeld)")
    pdf.set_auto_page_break(auto=True, margin=20)

    def header() -> None:
        pdf.set_font("Helvetica", "B", 24)
        pdf.set_text_color(180, 0, 0)
        pdf.cell(0, 12, "VOORBEELD", new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.set_text_color(0, 0, 0)

    pdf.header = header  # type: ignore[method-assign]
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.ln(3)
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def seed(session: Session, store: DocumentStore, now: datetime) -> bool:
    """Add the example guide unless it is there already; whether it was added."""
    if session.scalar(select(Guide.id).where(Guide.slug == SLUG)) is not None:
        return False
    guide = publish_guide(session, dict(GUIDE), BY)
    part_1 = example_pdf(
        f"{GUIDE['title']}. Deel 1: de stand van het debat",
        [
            str(GUIDE["summary"]),
            "Dit document is een voorbeeld dat de software meelevert. Het is niet de "
            "handreiking zelf.",
        ],
    )
    add_edition(session, store, guide.id, dict(EDITION), "deel-1.pdf", part_1, BY, now)
    tool = example_pdf(str(TOOL["title"]), [str(TOOL["description"])])
    add_toolbox_item(session, store, guide.id, dict(TOOL), "gesprek-in-de-wijk.pdf", tool, BY)
    return True
