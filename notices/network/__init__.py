"""Network notices: reports that name an IP address and a moment rather than a URL (ACNS
and XARF reports, a vendor's XML, an upstream's IODEF forward).

``reading`` turns a mail or an API payload into events (pure, no database; the formats
it knows are in ``formats``). This package is an interface over the core like the mailbox
and the API: it may import notices.records, notices.core, notices.outbox, notices.models
and iija_compliance.lib, and nothing below it imports it (pyproject.toml's import-linter
contracts).
"""
