"""Network notices: reports that name an IP address and a moment rather than a URL (ACNS
and XARF reports, a vendor's XML, an upstream's IODEF forward).

``reading`` turns a mail or an API payload into events (pure, no database; the formats
it knows are in ``formats``). ``addresses`` says who held an address at a moment,
``plan`` imports the address plan, ``intake`` gives each event its outcome and puts it on
the subscriber's network case. The mailbox and the API take network notices in through
this package, so it sits below them: it may import notices.records, notices.core,
notices.outbox, notices.models and iija_compliance.lib, and nothing below it imports it
(pyproject.toml's import-linter contracts).
"""
