"""Signatures typed into a form: what is recorded with each."""

from dataclasses import dataclass

from .client_address import client_address


@dataclass
class Signing:
    """Who signed, from where: recorded with an electronic signature."""

    ip: str | None = None
    user_agent: str = ""


def signing_of(request) -> Signing:
    """Who signed a form, from where: recorded with the electronic signature."""
    return Signing(
        ip=client_address(request) or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
