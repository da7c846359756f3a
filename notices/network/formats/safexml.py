"""XML from strangers, parsed without danger: no document type declarations (and so no
entities to expand or fetch), no network, libxml2's own size limits; unescaped `&` made
`&amp;`; a structure that will not parse (a closing tag missing) recovered as far as the
parser can, and said so. Element names lose their namespace: ACNS comes with the acns.net
or movielabs.com namespace, several schema revisions, or none, with the same names."""

import re

from lxml import etree

from . import NoticeRefused

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]{0,30}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});)")

_STRICT = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)
_RECOVERING = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
    recover=True,
)


def parse(text: str) -> tuple[etree._Element | None, list[str]]:
    """(the root, what was repaired or could not be read); the root is None when nothing
    could be made of the text. NoticeRefused for a document type declaration."""
    refuse_declarations(text)
    text = _DECLARATION.sub("", text, count=1)
    problems = []
    repaired = _BARE_AMPERSAND.sub("&amp;", text)
    if repaired != text:
        problems.append("The XML has an unescaped '&'; it was read as '&amp;'.")
    try:
        root = etree.fromstring(repaired, _STRICT)
    except etree.XMLSyntaxError as error:
        root = _recover(repaired)
        problems.append(
            f"The XML is broken ({error.msg[:160]}); "
            + ("what it holds was recovered." if root is not None else "nothing was recovered.")
        )
    if root is not None:
        _drop_namespaces(root)
    return root, problems


def refuse_declarations(text: str) -> None:
    """NoticeRefused for XML that declares a document type: its entities could expand
    to gigabytes (or name files and URLs), and no notice format needs one."""
    if _DTD.search(text):
        raise NoticeRefused(
            "The XML carries a document type declaration (<!DOCTYPE or <!ENTITY): "
            "entities are never expanded, so it is not read."
        )


def _recover(text: str) -> etree._Element | None:
    try:
        return etree.fromstring(text, _RECOVERING)
    except etree.XMLSyntaxError:
        return None


def _drop_namespaces(root: etree._Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rpartition("}")[2]
        for name in [name for name in element.attrib if "}" in name]:
            del element.attrib[name]


def text_of(element: etree._Element | None, *path: str) -> str:
    """The stripped text at `path` below `element` (names without namespace), or ""."""
    for name in path:
        if element is None:
            return ""
        element = element.find(name)
    if element is None:
        return ""
    return (element.text or "").strip()
