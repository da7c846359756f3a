"""`manage.py parse_notice` shows the network reading: format and network_events."""

import json

from django.core.management import call_command

from .samples import acns_xml, letter, mail, xarf_v3


def _parse(path, capsys) -> dict:
    call_command("parse_notice", str(path))
    return json.loads(capsys.readouterr().out)


def test_an_acns_mail_is_a_takedown_with_its_events(tmp_path, capsys):
    path = tmp_path / "acns.eml"
    path.write_bytes(mail(letter(ip="192.0.2.99", xml=acns_xml())).as_bytes())
    result = _parse(path, capsys)
    assert (result["kind"], result["format"]) == ("takedown", "acns")
    assert [(e["ip"], e["port"], e["timestamp"]) for e in result["network_events"]] == [
        ("192.0.2.10", 51413, "2026-03-02T10:15:30Z")
    ]
    assert result["network_flags"] == ["text_xml_mismatch"]


def test_a_plain_takedown_is_format_text_without_events(tmp_path, capsys):
    path = tmp_path / "plain.eml"
    body = (
        "I am the owner of the photograph at https://www.example.com/photo.jpg. It is copied "
        "without permission at https://copies.example.net/photo.jpg; please remove it.\n"
    )
    path.write_bytes(mail(body).as_bytes())
    result = _parse(path, capsys)
    assert (result["format"], result["network_events"]) == ("text", [])


def test_a_xarf_login_attack_is_other(tmp_path, capsys):
    path = tmp_path / "attack.json"
    path.write_text(json.dumps(xarf_v3("Login-Attack", ip="203.0.113.7")))
    result = _parse(path, capsys)
    assert (result["kind"], result["format"]) == ("other", "xarf")
    assert result["network_events"][0]["ip"] == "203.0.113.7"


def test_a_refused_network_notice_says_why(tmp_path, capsys):
    path = tmp_path / "hostile.xml"
    path.write_text('<!DOCTYPE x [<!ENTITY a "b">]><Infringement>&a;</Infringement>')
    result = _parse(path, capsys)
    assert (result["format"], result["network_events"]) == ("text", [])
    assert any("document type declaration" in line for line in result["not_read"])
