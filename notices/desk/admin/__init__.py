"""The desk's admin pages, one module per family; importing them registers them (from
NoticesConfig.ready)."""

from . import accounts, cases, mail, network, outbox, records, senders, subscribers  # noqa: F401
