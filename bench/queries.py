"""Database statements per notice, counted with Django's CaptureQueriesContext: one API
notice (3 works, 10 items, 3 hosts), one form POST, a batch of 10 API notices and one
10,000-item notice, each after a first request has warmed the process (token, sequence).

Run: .venv/bin/python bench/queries.py
"""

import json
from collections import Counter

from _django import bench_database, write_result
from intake import api_notice, form_fields, prepare_product

ROWS = [
    ("API notice", "/api/v1/notices/", lambda: api_notice(), 1),
    ("API batch of 10", "/api/v1/notices/batch/", lambda: {"notices": [api_notice()] * 10}, 10),
    ("API notice, 10,000 items", "/api/v1/notices/", lambda: api_notice(items=10_000), 1),
]


def count(send) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        send()
    return [query["sql"] for query in captured.captured_queries]


def kind(sql: str) -> str:
    words = sql.split()
    return " ".join(words[:3]) if words[0] == "INSERT" else words[0]


def main() -> None:
    results = {}
    with bench_database("bench_queries"):
        from django.conf import settings
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        token = prepare_product()
        client = Client()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        for label, url, body, notices in ROWS:

            def send(url=url, body=body):
                response = client.post(url, json.dumps(body()), "application/json", **auth)
                assert response.status_code in (200, 201), response.content[:300]

            send()  # warm: the token remembered, the year's sequence made
            results[label] = (count(send), notices)

        def post_form():
            response = client.post("/notices/new/", form_fields())
            assert response.status_code == 302, response.content[:300]

        post_form()
        results["form POST"] = (count(post_form), 1)

    print(f"{'request':<28}{'statements':>11}{'per notice':>12}  by kind")
    print("-" * 100)
    for label, (statements, notices) in results.items():
        kinds = ", ".join(f"{k} {n}" for k, n in Counter(map(kind, statements)).items())
        print(f"{label:<28}{len(statements):>11}{len(statements) / notices:>12.1f}  {kinds}")
    write_result(
        "queries",
        {label: {"statements": s, "notices": n} for label, (s, n) in results.items()},
    )


if __name__ == "__main__":
    main()
