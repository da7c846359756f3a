import random
import string

import pytest

from notices.core import locations
from notices.core.locations import LocationError, parse_location


@pytest.mark.parametrize(
    "given, kind, normalized, host",
    [
        (
            "https://Files.Example.NET:443/a/../b.zip#part",
            "url",
            "https://files.example.net/b.zip",
            "files.example.net",
        ),
        ("http://example.com/x?b=2&a=1", "url", "http://example.com/x?b=2&a=1", "example.com"),
        ("example.com/share/file.mp4", "url", "https://example.com/share/file.mp4", "example.com"),
        ("cdn.example.org", "host", "cdn.example.org", "cdn.example.org"),
        ("Bücher.example", "host", "xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("198.51.100.23", "ip", "198.51.100.23", "198.51.100.23"),
        ("[2001:db8::1]", "ip", "2001:db8::1", "2001:db8::1"),
        ("198.51.100.23:8080/films/", "url", "https://198.51.100.23:8080/films/", "198.51.100.23"),
        (
            "ftp://mirror.example.org/pub/a.iso",
            "url",
            "ftp://mirror.example.org/pub/a.iso",
            "mirror.example.org",
        ),
        ("/srv/www/uploads/a.mp4", "path", "/srv/www/uploads/a.mp4", ""),
    ],
)
def test_it_reads_and_normalizes_locations(given, kind, normalized, host):
    location = parse_location(given)
    assert (location.kind, location.normalized, location.host) == (kind, normalized, host)


@pytest.mark.parametrize(
    "given, reason",
    [
        ("", "empty"),
        ("just words", "spaces"),
        ("javascript://alert(1)", "not supported"),
        ("localhost", "not a web address"),
        ("http://-bad-.example/", "no valid host"),
        ("http://300.1.1.1/", "no valid host"),
        ("https://example.com/" + "a" * 2100, "at most 2048"),
        ("https://example.com/\x00", "control"),
        ("https://files.example-host.net/" + "é" * 1000, "once encoded"),
        ("fe80::1%" + "a" * 400, "not a web address"),
    ],
)
def test_it_refuses_what_cannot_be_located(given, reason):
    with pytest.raises(LocationError, match=reason):
        parse_location(given)


PLAIN_PATH_CHARACTERS = string.ascii_letters + string.digits + "._~!$&'()*+,;=:@/-"


def _generated_urls(count: int) -> list[str]:
    """URLs of plain and not quite plain shapes (dot segments, empty segments, IPs)."""
    rng = random.Random(512)
    hosts = ["files.example-host.net", "cdn.example", "198.51.100.23", "a-b.example", "x.y.example"]
    urls = []
    for _ in range(count):
        path = "".join(rng.choice(PLAIN_PATH_CHARACTERS) for _ in range(rng.randint(1, 30)))
        urls.append(f"{rng.choice(['http', 'https'])}://{rng.choice(hosts)}/{path}")
    return urls


def test_a_url_already_in_normal_form_is_read_as_url_normalize_reads_it():
    for url in _generated_urls(3000) + ["https://cdn.example/a/./b", "https://cdn.example/a//b"]:
        assert parse_location(url) == locations._url(url), url
