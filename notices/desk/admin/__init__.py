"""The desk's admin pages, registered when imported (from NoticesConfig.ready)."""

from . import cases  # noqa: F401
