"""PDF rendering: the only module that imports WeasyPrint.

Everything a PDF needs (fonts, the print stylesheet) is read from the project's
`static/pdf/` folder; any other URL, on the network or elsewhere on disk, is refused,
so a record renders the same in the web process, the worker and the tests.
"""

import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

PDF_ASSETS = Path(settings.BASE_DIR) / "static" / "pdf"


class LocalAssetFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or not path.is_relative_to(PDF_ASSETS):
            raise ValueError(f"PDF rendering may not fetch {url}")
        return super().fetch(url, headers)


# One font configuration per thread, reused: a new one per document adds the project's
# fonts to fontconfig again each time, and memory then grows with every PDF (measured in
# bench/export_memory.py: about 0.24 MB per case file without this).
_fonts = threading.local()


def _font_config() -> FontConfiguration:
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template (which sets <title>, author and dcterms.created) to PDF bytes."""
    html = render_to_string(template_name, context)
    document = HTML(
        string=html,
        base_url=PDF_ASSETS.as_uri() + "/",
        url_fetcher=LocalAssetFetcher(allowed_protocols={"file"}),
    )
    return document.write_pdf(font_config=_font_config())
