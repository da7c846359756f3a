"""Network notices: where they will live, not yet here.

Notices that name an IP address and a time rather than a URL (ACNS and XARF reports,
attribution of the address to a subscriber at that time, forwarding the notice to them)
are an interface over the core like the mailbox and the API: this package may import
notices.records, notices.core, notices.outbox, notices.models and iija_compliance.lib,
and nothing below it imports it (pyproject.toml's import-linter contracts).
"""
