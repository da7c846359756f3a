"""Which URLs are the work and which the material to remove, in free text."""

from notices.mailbox.reader import read_text

SWORN = """\
I have a good faith belief that use of the material is not authorized by the copyright
owner, its agent, or the law. Under penalty of perjury, the information in this notice is
accurate and I am authorized to act on behalf of the owner.

/s/ Lena Fischer"""


def test_the_senders_own_url_after_a_sentence_about_copying_is_the_work():
    reading = read_text(
        "A video was copied onto your servers without permission. The original video, to "
        "which we own the exclusive copyrights, can be found at:\n\n"
        "https://video.example.org/watch/harbor-lights\n\n"
        "The unauthorized copy can be found at:\n\n"
        "https://tube.example.net/v/88121\n\n" + SWORN
    )
    assert reading.infringing == ["https://tube.example.net/v/88121"]
    assert reading.works == ["The work at https://video.example.org/watch/harbor-lights"]


def test_forks_listed_under_forked_at_are_material_and_forked_from_is_the_work():
    reading = read_text(
        "Our software (https://code.example.org/acme/engine) is copied without our licence by "
        "https://git.example.net/bob/engine, which was forked from "
        "https://code.example.org/acme/engine-legacy.\n\n"
        "Forked at:\n"
        "- https://git.example.net/carol/engine\n"
        "- https://git.example.net/dave/engine\n\n" + SWORN
    )
    assert reading.infringing == [
        "https://git.example.net/bob/engine",
        "https://git.example.net/carol/engine",
        "https://git.example.net/dave/engine",
    ]
    assert "https://code.example.org/acme/engine-legacy" not in reading.infringing


def test_the_works_url_given_twice_stays_the_work():
    reading = read_text(
        "Our photo series is at https://photos.example.org/series/dunes (our official "
        "site).\n\nCopies of it are hosted on your network at:\n"
        "https://img.example.net/u/412/dunes.jpg\n\n"
        "Compare them with https://photos.example.org/series/dunes and you will see.\n\n" + SWORN
    )
    assert reading.infringing == ["https://img.example.net/u/412/dunes.jpg"]


def test_urls_listed_on_one_line_share_the_label_before_them():
    reading = read_text(
        "1. The original material is located at: https://films.example.org/quiet-harbor\n"
        "2. The infringing material is located at: https://a.example.net/v/1 , "
        "https://b.example.net/v/2 and https://c.example.net/v/3\n\n" + SWORN
    )
    assert reading.infringing == [
        "https://a.example.net/v/1",
        "https://b.example.net/v/2",
        "https://c.example.net/v/3",
    ]


def test_a_list_introduced_in_the_senders_own_language_is_the_material():
    reading = read_text(
        "Hallo,\n\nwir stellen einen Löschantrag für nicht genehmigte Raubkopien unseres "
        "Films.\n\nBitte löschen Sie folgendes:\n\n"
        "https://video.example.net/@kanal/film-1\n\n"
        "https://video.example.net/@kanal/film-2\n\nViele Grüße\n\nInga Beispiel"
    )
    assert reading.kind == "takedown"
    assert reading.infringing == [
        "https://video.example.net/@kanal/film-1",
        "https://video.example.net/@kanal/film-2",
    ]


def test_a_label_introducing_the_work_ends_where_prose_resumes():
    reading = read_text(
        "All videos of this uploader copy our book. You can find it on our official "
        "website:\nhttps://books.example.org/mi-general\n\n"
        "This uploader copies the whole text into machine-read videos, which infringes our "
        "copyright.\n\nPlease take down the channel.\n\nLin Wu\n\n"
        "https://video.example.net/@uploader21"
    )
    assert reading.infringing == ["https://video.example.net/@uploader21"]
    assert "https://books.example.org/mi-general" not in reading.infringing
