"""One module per way a network notice is written: ACNS XML, XARF JSON, a vendor's
InvestigationInfo XML, an IODEF report, and the evidence lines of the letter's own text.
Each turns what it is given into event dicts (see notices.network.reading)."""


class NoticeRefused(ValueError):
    """A notice the desk will not read, with the reason in words for the agent or the
    sender (a document type declaration, an archive past its limit, nothing readable)."""
