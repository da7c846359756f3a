"""import_assignments: the address plan from CSV, all or nothing, the same file twice
changing nothing."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from notices.models import AddressAssignment, Subscriber
from notices.network.addresses import holder_at

pytestmark = pytest.mark.django_db

HEADER = "subscriber,name,email,network,valid_from,valid_until,service\n"
PLAN = HEADER + (
    "C-1,Harbor Cloud,abuse@harbor.example,198.51.100.0/24,2026-01-01,2026-06-30,transit\n"
    "C-2,Lantern Row,noc@lantern.example,198.51.100.0/24,2026-07-01,,transit\n"
    "C-2,Lantern Row,noc@lantern.example,203.0.113.7,2026-02-01T09:30:00+01:00,,hosting\n"
    "C-3,Six Ltd,six@six.example,2001:db8:6::/48,2026-01-01T00:00:00,,hosting\n"
)


def run(tmp_path, text, name="plan.csv"):
    path = tmp_path / name
    path.write_text(text)
    return call_command_json(path)


def call_command_json(path):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_assignments", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return json.loads(out.getvalue()), err.getvalue(), error
    return json.loads(out.getvalue()), err.getvalue(), None


def stored():
    return sorted(
        AddressAssignment.objects.values_list(
            "subscriber__account_id", "network", "valid_from", "valid_until", "service"
        )
    )


def test_a_plan_is_imported_and_answers_lookups(tmp_path):
    summary, _, error = run(tmp_path, PLAN)
    assert error is None
    assert summary == {
        "imported": True,
        "lines": 4,
        "subscribers": {"created": 3, "updated": 0},
        "assignments": {"created": 4, "updated": 0, "unchanged": 0},
    }
    moment = datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)  # a date as end: the whole day
    assert holder_at("198.51.100.9", moment).subscriber.account_id == "C-1"
    assert holder_at("198.51.100.9", moment.replace(day=1, month=7, hour=0, minute=0, second=0)
                     ).subscriber.account_id == "C-2"  # fmt: skip
    # No offset is UTC; an offset is honoured.
    six = AddressAssignment.objects.get(network="2001:db8:6::/48")
    assert six.valid_from == datetime(2026, 1, 1, tzinfo=UTC)
    single = AddressAssignment.objects.get(network="203.0.113.7/32")
    assert single.valid_from == datetime(2026, 2, 1, 8, 30, tzinfo=UTC)
    assert single.service == "hosting"
    assert Subscriber.objects.get(account_id="C-2").notice_email == "noc@lantern.example"


def test_the_same_file_again_changes_nothing(tmp_path):
    run(tmp_path, PLAN)
    before = stored()
    summary, _, error = run(tmp_path, PLAN)
    assert error is None
    assert summary["assignments"] == {"created": 0, "updated": 0, "unchanged": 4}
    assert summary["subscribers"] == {"created": 0, "updated": 0}
    assert stored() == before


def test_a_later_file_closes_a_period_and_moves_a_block(tmp_path):
    run(tmp_path, PLAN)
    later = PLAN.replace(
        "C-2,Lantern Row,noc@lantern.example,198.51.100.0/24,2026-07-01,,transit",
        "C-2,Lantern Row,noc@lantern.example,198.51.100.0/24,2026-07-01,2026-09-30,transit\n"
        "C-3,Six Ltd,six@six.example,198.51.100.0/24,2026-10-01,,transit",
    )
    summary, _, error = run(tmp_path, later)
    assert error is None
    assert summary["assignments"] == {"created": 1, "updated": 1, "unchanged": 3}
    october = datetime(2026, 10, 1, tzinfo=UTC)
    assert holder_at("198.51.100.9", october).subscriber.account_id == "C-3"


def test_a_file_with_bad_lines_is_refused_whole_naming_each(tmp_path):
    bad = PLAN + (
        "C-4,Bad Mail,not-an-address,192.0.2.0/24,2026-01-01,,transit\n"  # line 6
        "C-5,Host Bits,h@h.example,192.0.2.1/24,2026-01-01,,transit\n"
        "C-6,Bad Date,d@d.example,192.0.2.64/26,2026-02-30,,transit\n"
        "C-7,Backwards,b@b.example,192.0.2.128/26,2026-05-01,2026-04-01,transit\n"
        "C-8,No Service,s@s.example,192.0.2.192/26,2026-05-01,,peering\n"
        "C-9,Short,s@s.example,192.0.2.0/28\n"
    )
    summary, errors, error = run(tmp_path, bad)
    assert error is not None and "nothing was imported" in str(error)
    assert [line["line"] for line in summary["bad_lines"]] == [6, 7, 8, 9, 10, 11]
    problems = {line["line"]: " ".join(line["problems"]) for line in summary["bad_lines"]}
    assert "not an e-mail address" in problems[6]
    assert "did you mean 192.0.2.0/24" in problems[7]
    assert "2026-02-30" in problems[8]
    assert "after valid_from" in problems[9]
    assert "peering" in problems[10]
    assert "columns" in problems[11]
    assert "line 6:" in errors
    assert not AddressAssignment.objects.exists() and not Subscriber.objects.exists()


def test_one_block_held_twice_at_once_is_refused(tmp_path):
    overlapping = PLAN + "C-9,Nine,n@n.example,198.51.100.0/24,2026-06-15,2026-07-15,transit\n"
    summary, _, error = run(tmp_path, overlapping)
    assert error is not None
    problems = {line["line"]: " ".join(line["problems"]) for line in summary["bad_lines"]}
    assert set(problems) == {2, 3, 6}
    assert "held at the same time on line 6" in problems[2]
    assert not AddressAssignment.objects.exists()


def test_a_block_held_in_the_stored_plan_is_not_given_twice(tmp_path):
    run(tmp_path, PLAN)
    clash = HEADER + "C-9,Nine,n@n.example,198.51.100.0/24,2026-12-01,,transit\n"
    summary, _, error = run(tmp_path, clash)
    assert error is not None
    assert "a stored assignment" in summary["bad_lines"][0]["problems"][0]
    assert not Subscriber.objects.filter(account_id="C-9").exists()


def test_one_account_with_two_names_and_a_line_given_twice_are_refused(tmp_path):
    text = PLAN + (
        "C-1,Harbour Cloud,abuse@harbor.example,192.0.2.0/24,2026-01-01,,transit\n"
        "C-3,Six Ltd,six@six.example,2001:db8:6::/48,2026-01-01,,hosting\n"
    )
    summary, _, error = run(tmp_path, text)
    problems = {line["line"]: " ".join(line["problems"]) for line in summary["bad_lines"]}
    assert "another name" in problems[6] and "already on line 5" in problems[7]


def test_a_wrong_header_or_encoding_is_refused(tmp_path):
    summary, _, error = run(tmp_path, "account,network\nC-1,192.0.2.0/24\n")
    assert summary["bad_lines"][0]["line"] == 1
    assert "header" in summary["bad_lines"][0]["problems"][0]
    path = tmp_path / "latin1.csv"
    line = "C-1,Caf\xe9,c@c.example,192.0.2.0/24,2026-01-01,,transit\n"
    path.write_bytes((HEADER + line).encode("latin-1"))
    summary, _, error = call_command_json(path)
    assert "UTF-8" in summary["bad_lines"][0]["problems"][0]
