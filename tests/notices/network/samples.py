"""Synthetic network notices in the shapes seen in the wild, with documentation addresses
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) and example domains."""

import email
import email.policy
from email.message import EmailMessage

ACNS_NAMESPACE = "http://www.acns.net/ACNS"


def acns_xml(
    *,
    case_id="NW-1001",
    ip="192.0.2.10",
    port="51413",
    source_time="2026-03-02T10:15:30Z",
    item_times=("2026-03-02T10:15:30Z",),
    namespace=ACNS_NAMESPACE,
    complainant="Example Pictures LLC",
    title="An Example Film",
    declaration=True,
) -> str:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    source_stamp = f"<TimeStamp>{source_time}</TimeStamp>" if source_time else ""
    items = "".join(
        "<Item>"
        + (f"<TimeStamp>{moment}</TimeStamp>" if moment else "")
        + f"<Title>{title}</Title><FileName>An.Example.Film.2026.1080p.mkv</FileName>"
        "<FileSize>1048576</FileSize>"
        '<Hash Type="SHA1">0123456789ABCDEF0123456789ABCDEF01234567</Hash></Item>'
        for moment in item_times
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if declaration else ""
    return (
        f"{head}<Infringement{xmlns}>\n"
        f" <Case><ID>{case_id}</ID><Status>Open</Status><Severity>Normal</Severity></Case>\n"
        f" <Complainant><Entity>{complainant}</Entity><Contact>Notices Desk</Contact>"
        "<Email>notices@rights.example</Email></Complainant>\n"
        " <Service_Provider><Entity>Example Network</Entity>"
        "<Email>abuse@isp.example</Email></Service_Provider>\n"
        f" <Source>{source_stamp}<IP_Address>{ip}</IP_Address><Port>{port}</Port>"
        '<Type>BitTorrent</Type><SubType BaseType="P2P" Protocol="BITTORRENT"/>'
        "<Number_Files>1</Number_Files></Source>\n"
        f" <Content>{items}</Content>\n"
        "</Infringement>\n"
    )


def letter(*, ip="192.0.2.10", port="51413", moment="2026-03-02T10:15:30Z", xml="",
           start="---Start ACNS XML", end="---End ACNS XML") -> str:  # fmt: skip
    """The letter a vendor sends: words, evidence lines, then the XML between markers."""
    block = f"\n{start}\n{xml}{end}\n" if xml else ""
    return (
        "Dear Sir or Madam,\n\n"
        "We write on behalf of Example Pictures LLC, the owner of the work below, about "
        "infringing copies shared from an address on your network. We have a good faith "
        "belief that this use is not authorized.\n\n"
        "Evidentiary Information:\n"
        "Protocol: BITTORRENT\n"
        "Infringed Work: An Example Film\n"
        f"Infringer's IP Address: {ip}\n"
        f"Infringer's Port: {port}\n"
        f"Initial Infringement Timestamp: {moment}\n"
        f"{block}\n"
        "Notices Desk, Example Pictures LLC\n"
    )


def mail(body="", *, attachments=(), sender="Notices <notices@rights.example>",
         subject="Notice of Claimed Infringement", cte=None) -> EmailMessage:  # fmt: skip
    """A mail with a text body (in the transfer encoding asked) and attachments given as
    (bytes or str or EmailMessage, maintype, subtype, filename)."""
    message = EmailMessage(policy=email.policy.default)
    message["From"] = sender
    message["To"] = "abuse@isp.example"
    message["Subject"] = subject
    message["Message-ID"] = "<n-1@rights.example>"
    message.set_content(body, cte=cte) if cte else message.set_content(body)
    for content, maintype, subtype, filename in attachments:
        if isinstance(content, EmailMessage):
            message.add_attachment(content)
        elif isinstance(content, str):
            message.add_attachment(content, subtype=subtype, filename=filename)
        else:
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return reparse(message)


def reparse(message: EmailMessage) -> EmailMessage:
    """The mail as the mailbox reads it: from its bytes."""
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
