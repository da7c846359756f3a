"""The case as records: PDFs, redaction, exports, retention, the transparency figures.

May import notices.core, notices.outbox, notices.models and iija_compliance.lib."""
