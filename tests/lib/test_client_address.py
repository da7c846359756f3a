"""The client's address is read from X-Forwarded-For only when a trusted proxy sent it, and
X-Forwarded-Proto is believed only from such a proxy."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from iija_compliance.lib.client_address import client_address
from iija_compliance.lib.middleware import TrustedProxyMiddleware

PROXY = "192.0.2.10"


def seen(remote: str, forwarded_for: str | None = None) -> str:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_forwarded_for_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert seen("203.0.113.9", "198.51.100.7") == "203.0.113.9"
    settings.TRUSTED_PROXIES = []
    assert seen(PROXY, "198.51.100.7") == PROXY


def test_behind_trusted_proxies_the_client_is_the_right_most_untrusted_entry(settings):
    settings.TRUSTED_PROXIES = ["192.0.2.0/28", "2001:db8::/64"]
    # The client may write anything first; only what our proxies appended is believed.
    assert seen(PROXY, "203.0.113.66, 198.51.100.7") == "198.51.100.7"
    assert seen(PROXY, "198.51.100.7, 192.0.2.3") == "198.51.100.7"  # two proxies
    assert seen("2001:db8::1", "2001:db8:1::5") == "2001:db8:1::5"
    # Nothing forwarded, or only our own proxies: the nearest address we can vouch for.
    assert seen(PROXY) == PROXY
    assert seen(PROXY, "192.0.2.3") == "192.0.2.3"
    # An entry that is not an address stops the walk at the proxy that passed it on.
    assert seen(PROXY, "198.51.100.7, unknown") == PROXY
    # A dual-stack socket's form of an IPv4 proxy is that proxy.
    assert seen(f"::ffff:{PROXY}", "198.51.100.7") == "198.51.100.7"


def test_no_address_is_an_empty_one_not_a_guess(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert seen("", "198.51.100.7") == ""  # a Unix socket tells no address


def test_forwarded_proto_is_believed_from_a_trusted_proxy_only(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # as HTTPS_ONLY
    home = reverse("home")
    spoofed = client.get(home, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301
    assert spoofed["Location"].startswith("https://")
    proxied = client.get(home, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert client.get(home, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http").status_code == 301


def test_a_mistyped_trusted_proxy_stops_the_start(settings):
    settings.TRUSTED_PROXIES = ["192.0.2.300"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        TrustedProxyMiddleware(lambda request: None)
