"""The rules and the services that move a case; nothing here knows of HTTP.

May import notices.outbox, notices.models and iija_compliance.lib; never an interface."""
