"""The desk's admin pages, one module per family; importing them registers them (from
NoticesConfig.ready)."""

from . import (  # noqa: F401
    accounts,
    cases,
    hosted,
    mail,
    network,
    network_senders,
    outbox,
    policy,
    records,
    senders,
    subscribers,
)
