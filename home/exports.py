"""Public content as a document to file: DOCX built from text and runs of
text (so nothing from users becomes markup). The programme's export is here,
as DOCX and as PDF from the same blocks; drafts and recommendations use the
DOCX builder (documents/exports.py)."""

import io
from pathlib import Path

from docx import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

DOCX_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
HEADING_LEVELS = {"heading": 1, "subheading": 2, "minorheading": 3}


LIST_STYLES = {"bulleted_list": "List Bullet", "numbered_list": "List Number"}
LINK_COLOUR = "0563C1"


def docx_bytes(title, subtitle, summary, blocks) -> bytes:
    """``blocks``: (kind, content) pairs. Kind "heading", "subheading" or
    "minorheading" holds text; "paragraph" or "quote" text or runs (objects
    with ``text``, ``bold``, ``italic`` and ``href``, as documents.richtext
    makes them); "bulleted_list" or "numbered_list" a list of either."""
    document = DocxDocument()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    if summary:
        document.add_paragraph(summary, style="Intense Quote")
    for kind, content in blocks:
        if kind in HEADING_LEVELS:
            document.add_heading(content, level=HEADING_LEVELS[kind])
        elif kind in LIST_STYLES:
            _add_list(document, kind, content)
        else:
            style = "Quote" if kind == "quote" else None
            _write(document.add_paragraph(style=style), content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The bundled DejaVu Sans covers Polish and Ukrainian, so the server needs no
# system fonts (licence in home/fonts/LICENSE.txt).
FONTS = Path(__file__).resolve().parent / "fonts"
PDF_FONT = "DejaVu"
# Point sizes of the title and the heading levels; body text is PDF_TEXT_SIZE.
PDF_TITLE_SIZE = 20
PDF_HEADING_SIZES = {"heading": 16, "subheading": 13, "minorheading": 11}
PDF_TEXT_SIZE = 10


def pdf_bytes(title, subtitle, summary, blocks) -> bytes:
    """``blocks``: (kind, text) pairs, kind one of HEADING_LEVELS or
    "paragraph" (the programme's export has no runs or lists). Text is
    written as text, never interpreted (fpdf2's markdown stays off)."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.add_font(PDF_FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(PDF_FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_page()
    _pdf_text(pdf, title, PDF_TITLE_SIZE, bold=True)
    _pdf_text(pdf, subtitle, PDF_TEXT_SIZE)
    if summary:
        _pdf_text(pdf, summary, PDF_TEXT_SIZE)
    for kind, text in blocks:
        size = PDF_HEADING_SIZES.get(kind, PDF_TEXT_SIZE)
        _pdf_text(pdf, text, size, bold=kind in PDF_HEADING_SIZES)
    return bytes(pdf.output())


def _pdf_text(pdf, text, size, bold=False):
    """One left-aligned paragraph, wrapped to the page, a little space after
    (more above a heading)."""
    if bold:
        pdf.ln(size * 0.25)
    pdf.set_font(PDF_FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(size * 0.2)


def _add_list(document, kind, items):
    """One paragraph per item in the list's style; a numbered list starts
    again at 1."""
    number = _new_numbering(document) if kind == "numbered_list" else None
    for item in items:
        paragraph = document.add_paragraph(style=LIST_STYLES[kind])
        if number is not None:
            numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_ilvl().val = 0
            numbering.get_or_add_numId().val = number
        _write(paragraph, item)


def _new_numbering(document):
    numbering = document.part.numbering_part.numbering_definitions._numbering
    style = document.styles["List Number"]
    current = numbering.num_having_numId(style._element.pPr.numPr.numId.val)
    restart = numbering.add_num(current.abstractNumId.val)
    restart.add_lvlOverride(ilvl=0).add_startOverride(1)
    return restart.numId


def _write(paragraph, content):
    if isinstance(content, str):
        paragraph.add_run(content)
        return
    for run in content:
        for index, line in enumerate(run.text.split("\n")):
            if index:
                paragraph.add_run().add_break()
            if line:
                _add_run(paragraph, line, run)


def _add_run(paragraph, text, run):
    if not run.href:
        added = paragraph.add_run(text)
        added.bold, added.italic = run.bold or None, run.italic or None
        return
    # python-docx has no hyperlink API: the run goes inside a w:hyperlink
    # pointing to an external relationship.
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(
        qn("r:id"),
        paragraph.part.relate_to(run.href, RELATIONSHIP_TYPE.HYPERLINK, True),
    )
    element = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for tag, on in (("w:b", run.bold), ("w:i", run.italic)):
        if on:
            properties.append(OxmlElement(tag))
    for tag, value in (("w:color", LINK_COLOUR), ("w:u", "single")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        properties.append(child)
    element.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    element.append(text_element)
    hyperlink.append(element)
    paragraph._p.append(hyperlink)


def _plain(html):
    return " ".join(strip_tags(str(html or "")).split())


def programme_docx(programme, goals) -> bytes:
    return docx_bytes(*programme_content(programme, goals))


def programme_pdf(programme, goals) -> bytes:
    return pdf_bytes(*programme_content(programme, goals))


def programme_content(programme, goals):
    """The programme with its goals, directions and actions (status,
    responsible body, indicators): ``goals`` as the print view nests them.
    The title, subtitle, summary and blocks both builders take, so the DOCX
    and the PDF say the same."""
    blocks = []
    for goal in goals:
        blocks.append(("heading", f"{_('Strategic goal')} {goal.numbered_title}"))
        for direction in goal.children:
            blocks.append(
                (
                    "subheading",
                    f"{_('Direction of intervention')} {direction.numbered_title}",
                )
            )
            for action in direction.children:
                blocks += _action_blocks(action)
    subtitle = _("Status as published on the site")
    return programme.title, subtitle, _plain(programme.summary), blocks


def _action_blocks(action):
    blocks = [("minorheading", f"{_('Action')} {action.numbered_title}")]
    if action.summary:
        blocks.append(("paragraph", _plain(action.summary)))
    blocks.append(("paragraph", f"{_('Status')}: {action.get_status_display()}"))
    if action.responsible_body:
        blocks.append(
            ("paragraph", f"{_('Responsible body')}: {action.responsible_body}")
        )
    for indicator in action.indicators.all():
        current = (
            indicator.current_value if indicator.current_value is not None else "—"
        )
        blocks.append(
            (
                "paragraph",
                f"{indicator.name} ({indicator.unit}): {_('Baseline')} "
                f"{indicator.baseline:g}, {_('Target')} {indicator.target:g}, "
                f"{_('Current value')} {current}",
            )
        )
    return blocks
