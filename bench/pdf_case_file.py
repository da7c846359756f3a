"""A ten-page case file: the whole generation against WeasyPrint alone on the same HTML.

Goal (issue 5): at most 1.3 times WeasyPrint's own time, so gathering data costs little.
Run: .venv/bin/python bench/pdf_case_file.py [--runs 7]
"""

import argparse
import json
import statistics
import time

from _django import bench_database


def build_case():
    from notices.core.cases import notice_accept, notice_disable_material
    from notices.core.intake import notice_submit
    from notices.core.statutory import Item, Work
    from notices.models import Channel
    from tests.factories import submission, subscriber

    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    items = [
        Item(f"https://files.example-host.net/share/{n:04d}/episode-{n}.mp4", f"Episode {n}")
        for n in range(45)
    ]
    works = [Work(f"Series “Harbor Lights”, episode {n}") for n in range(1, 11)]
    notice = notice_submit(
        submission=submission(items=items, works=works), channel=Channel.WEB, actor="bench"
    )
    notice_accept(notice_id=notice.id, actor="bench")
    notice_disable_material(
        notice_id=notice.id,
        actions={i.id: "access_disabled" for i in notice.items.all()},
        actor="bench",
    )
    return notice


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with bench_database():
        from django.template.loader import render_to_string
        from weasyprint import HTML

        from iija_compliance.lib.pdf import PDF_ASSETS, LocalAssetFetcher
        from notices.records import documents

        notice = build_case()
        full, alone, pages = [], [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            document = documents.document_generate(
                notice=notice, kind="case_file", version="internal", actor="bench"
            )
            full.append(time.perf_counter() - start)
            # The same HTML, rendered by WeasyPrint alone.
            template, context = documents.BUILDERS["case_file"](notice, False, None)
            context |= documents._common(notice, "internal", document.created_at, context["title"])
            html = render_to_string(template, context)
            start = time.perf_counter()
            rendered = HTML(
                string=html,
                base_url=PDF_ASSETS.as_uri() + "/",
                url_fetcher=LocalAssetFetcher(allowed_protocols={"file"}),
            ).render()
            rendered.write_pdf()
            alone.append(time.perf_counter() - start)
            pages = len(rendered.pages)
        result = {
            "pages": pages,
            "runs": args.runs,
            "case_file_median_s": round(statistics.median(full), 3),
            "weasyprint_alone_median_s": round(statistics.median(alone), 3),
            "ratio": round(statistics.median(full) / statistics.median(alone), 3),
            "goal_ratio_at_most": 1.3,
        }
        print(json.dumps(result, indent=2))
        out = documents.settings.BASE_DIR / "var" / "bench" / "pdf.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
