"""The outbox: letters stored with the event that calls for them, sent once by a worker.

May import notices.models and iija_compliance.lib."""
