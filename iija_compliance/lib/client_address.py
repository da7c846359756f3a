"""Where a request came from, behind the TLS proxy that HTTPS_ONLY assumes.

Every proxy appends the address it saw to X-Forwarded-For, and anyone can send the header
with anything in it. So it is read only when the request comes from one of our own proxies
(`TRUSTED_PROXIES`), and from the right: the first address that is not one of ours is the
client. Rate limits, the signature address stored with a notice, the API's limits and logs
all read the address here.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request) -> str:
    """The client's IP address; the nearest trusted proxy's if nothing better is known;
    "" if the server was not told one (a Unix socket)."""
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return ""
    if _trusted(address):
        for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            forwarded = _parse(entry.strip())
            if forwarded is None:
                break  # not an address: the proxy that passed it on is all we can vouch for
            address = forwarded
            if not _trusted(address):
                break
    return str(address)


def rate_limit_address(request) -> str:
    """The client address as django-ratelimit needs it, an address in any case: requests
    from no known address share one limit."""
    return client_address(request) or "0.0.0.0"


def from_trusted_proxy(request) -> bool:
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    return address is not None and _trusted(address)


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


@lru_cache(maxsize=4)
def _networks(proxies: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies]
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def _trusted(address: IPAddress) -> bool:
    return any(address in network for network in trusted_proxies())


def _parse(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # A dual-stack socket shows an IPv4 client as ::ffff:192.0.2.1.
    return getattr(address, "ipv4_mapped", None) or address
