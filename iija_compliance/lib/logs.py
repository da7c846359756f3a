"""What the desk writes to its logs: no private links, and only what security needs."""

import logging
import re

from django.contrib.auth import get_user_model

# A private link's token (secrets.token_urlsafe(32): 43 characters) as a path segment. Any
# segment this long and this random-looking is taken for one: a log is read by more people
# than may open a complainant's or a subscriber's link.
_TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{32,}(?=[/?#\s\"']|$)")
TOKEN_REMOVED = "[token]"


def redact_tokens(text: str) -> str:
    return _TOKEN_SEGMENT.sub(TOKEN_REMOVED, text)


class RedactTokens(logging.Filter):
    """Takes private-link tokens out of a record's message (Django's "Not Found: /notices/
    status/<token>/" and the development server's request lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def login_client(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a login attempt in the log: the account, if it is one, and the
    address. A name that is no account is not written: it is often a password typed into
    the wrong field. The browser's user agent is left out."""
    known = bool(username) and get_user_model()._default_manager.filter(username=username).exists()
    account = f'account "{username}"' if known else "an unknown account"
    return f"{account} from {ip_address or 'an unknown address'}"
