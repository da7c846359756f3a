"""How the API admits, limits and answers: sender tokens, per-token rates, JSON only,
and every error as JSON, never a 500 for bad input."""

import logging
import math
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_ratelimit.core import get_usage
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import JSONParser

from iija_compliance.lib.client_address import client_address
from notices.models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)

logger = logging.getLogger(__name__)


class SenderTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; the token is looked up by its SHA-256."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != self.keyword.lower():
            return None
        # Refused before the look-up, whatever the token: a guess that happens to be right
        # must get the same answer as the wrong ones.
        usage = _invalid_tokens(request, increment=False)
        if usage and usage["count"] >= usage["limit"]:
            raise exceptions.Throttled(wait=max(usage["time_left"], 1))
        try:
            return self._sender(request, header)
        except exceptions.AuthenticationFailed:
            usage = _invalid_tokens(request, increment=True)
            logger.warning(
                "API: an invalid token from %s (%s of %s allowed per period)",
                client_address(request) or "an unknown address",
                usage["count"] if usage else "?",
                usage["limit"] if usage else "?",
            )
            raise

    def _sender(self, request, header: list[bytes]):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Give the token as: Authorization: Bearer <token>."
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        token = _valid_token(ApiToken.hash_key(key))
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid or was revoked.")
        now = timezone.now()
        if not token.last_used_at or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(id=token.id).update(last_used_at=now)
            token.last_used_at = now
        return token.sender, token

    def authenticate_header(self, request):
        return self.keyword


# Valid tokens this process checked lately, by their hash: (when, token). Invalid ones are
# always looked up (and counted against the address).
_valid_tokens: dict[str, tuple[float, ApiToken]] = {}
_valid_tokens_lock = threading.Lock()
MAX_REMEMBERED_TOKENS = 1000


def _valid_token(key_hash: str) -> ApiToken | None:
    """The unrevoked token of an active sender with this hash, as read from the database
    at most API_TOKEN_CACHE_SECONDS ago."""
    now = time.monotonic()
    remembered = _valid_tokens.get(key_hash)
    if remembered and now - remembered[0] < settings.API_TOKEN_CACHE_SECONDS:
        return remembered[1]
    token = (
        ApiToken.objects.select_related("sender")
        .filter(key_hash=key_hash, revoked_at=None, sender__active=True)
        .first()
    )
    with _valid_tokens_lock:
        if token is None:
            _valid_tokens.pop(key_hash, None)
        else:
            if len(_valid_tokens) >= MAX_REMEMBERED_TOKENS:
                _valid_tokens.clear()
            _valid_tokens[key_hash] = (now, token)
    return token


def _invalid_tokens(request, increment: bool) -> dict | None:
    """Invalid tokens sent from the request's address in this period (None: cache down)."""
    return get_usage(
        request,
        group="api-invalid-token",
        key="ip",
        rate=settings.API_INVALID_TOKEN_RATE,
        increment=increment,
    )


class IsSender(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.auth is not None


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Rates per token, so one agency's burst does not block another's. A request uses the
    rate once per notice it files (a view's `notice_count`): a batch of 500 uses 500."""

    scope = "token"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.cost = view.notice_count(request) if hasattr(view, "notice_count") else 1
        if self.cost > self.num_requests:
            # Waiting would never let it through: say so instead of a 429.
            message = (
                f"At most {self.num_requests:,} notices per request at your rate "
                f"({self.rate}); split the batch."
            )
            raise exceptions.ValidationError({"errors": {"notices": [message]}})
        # The times of the notices in the window, newest first: one per notice.
        self.key = self.get_cache_key(request, view)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        if len(self.history) + self.cost > self.num_requests:
            return False
        self.history[:0] = [self.now] * self.cost
        self.cache.set(self.key, self.history, self.duration)
        return True

    def wait(self) -> int:
        # Until enough of the oldest times have left the window for this request to fit.
        oldest_to_leave = self.history[self.num_requests - self.cost]
        return max(math.ceil(oldest_to_leave + self.duration - self.now), 1)

    def get_ident(self, request) -> str:
        return client_address(request)

    def get_cache_key(self, request, view):
        if request.auth is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.id}"}


class StrictJSONParser(JSONParser):
    """JSON only; input nested too deeply to read is a 400, not a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("The JSON is nested too deeply.") from exc


def exception_handler(exc, context):
    # Imported here: DRF imports this module while rest_framework.views is still loading.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None and "errors" not in response.data:
        response.data = {"errors": {"request": [_message(response.data)]}}
    return response


def _message(data) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    return str(data)


class SenderTokenScheme(OpenApiAuthenticationExtension):
    """Describe the sender token in the OpenAPI schema."""

    target_class = "notices.api.auth.SenderTokenAuthentication"
    name = "senderToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token the Designated Agent issued to your organization.",
        }
