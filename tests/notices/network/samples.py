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


def letter(
    *,
    ip="192.0.2.10",
    port="51413",
    moment="2026-03-02T10:15:30Z",
    xml="",
    start="---Start ACNS XML",
    end="---End ACNS XML",
) -> str:
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


def mail(
    body="",
    *,
    attachments=(),
    sender="Notices <notices@rights.example>",
    subject="Notice of Claimed Infringement",
    cte=None,
) -> EmailMessage:
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


def clear_signed(text: str) -> str:
    """The text as PGP clear-signing writes it: a line starting with "-" dash-escaped."""
    escaped = "\n".join("- " + line if line.startswith("-") else line for line in text.split("\n"))
    return (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
        f"{escaped}\n-----BEGIN PGP SIGNATURE-----\n\n"
        "iQEzBAEBCAAdFiEEAAAAAAAAAAAAAAAAAAAAAAAAAAAFAmYAAAAACgkQAAAAAAAA\n"
        "=AAAA\n-----END PGP SIGNATURE-----\n"
    )


def iodef_xml(*, ip="192.0.2.10", port="51413", moment="2026-03-02T10:15:30Z") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<IODEF-Document version="1.00" lang="en" xmlns="urn:ietf:params:xml:ns:iodef-1.0">\n'
        ' <Incident purpose="mitigation">\n'
        '  <IncidentID name="upstream.example">UP-77</IncidentID>\n'
        "  <ReportTime>2026-03-02T12:00:00+00:00</ReportTime>\n"
        "  <Description>Copyright complaint forwarded to the customer</Description>\n"
        '  <Contact role="creator" type="organization"><ContactName>Upstream Abuse Desk'
        "</ContactName><Email>abuse@upstream.example</Email></Contact>\n"
        f"  <EventData><DetectTime>{moment}</DetectTime><Flow>"
        f'<System category="source"><Node><Address category="ipv4-addr">{ip}</Address>'
        f'</Node><Service ip_protocol="6"><Port>{port}</Port></Service></System>'
        '<System category="target"><Node><Address category="ipv4-addr">203.0.113.250'
        "</Address></Node></System></Flow></EventData>\n"
        " </Incident>\n</IODEF-Document>\n"
    )


def investigation_xml(*, ip="198.51.100.23", moment="02/03/2026 11:15:30 +01:00") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<InvestigationInfo>\n'
        " <CaseID>INV-5521</CaseID>\n <Complainant>Example Records Ltd</Complainant>\n"
        " <Protocol>BitTorrent</Protocol>\n"
        f" <PeerIP>{ip}</PeerIP>\n <PeerPort>6881</PeerPort>\n"
        f" <FirstSeen>{moment}</FirstSeen>\n"
        " <Title>An Example Album</Title>\n <FileName>An.Example.Album.zip</FileName>\n"
        " <FileSize>2048</FileSize>\n</InvestigationInfo>\n"
    )


def xarf_v3(report_type="Copyright", *, ip="192.0.2.55") -> dict:
    return {
        "Version": "3",
        "ReporterInfo": {"ReporterOrg": "Example Monitor", "ReporterOrgEmail": "x@monitor.example"},
        "OnBehalfOf": {"ComplainantOrg": "Example Records Ltd"},
        "Disclosure": True,
        "Report": {
            "ReportType": report_type,
            "ReportClass": "Content" if report_type == "Copyright" else "Activity",
            "Date": "2026-03-02T10:15:30-05:00",
            "SourceIp": ip,
            "SourcePort": 54321,
            "InfringedMaterial": "An Example Song",
            "FileName": "an-example-song.mp3",
            "FileSize": 56,
            "FileHash": {"HashValue": "ABCDEF0123", "HashAlgorithm": "sha1"},
        },
    }
