"""Reading a rendered PDF back the way a reader's software would."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_catalogue(data: bytes):
    return PdfReader(io.BytesIO(data)).trailer["/Root"]
