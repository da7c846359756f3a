"""Senders that file notices through the API, their tokens, and the answers replayed."""

import hashlib
import secrets

from django.db import models


class ApiSender(models.Model):
    """An agency or rights holder that files notices through the API."""

    name = models.CharField(max_length=200, unique=True)
    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API sender"

    def __str__(self) -> str:
        return self.name

    # DRF treats the authenticated sender as the request's user.
    is_authenticated = True


class ApiToken(models.Model):
    """A sender's API token. Only its SHA-256 is stored: the token is shown once."""

    sender = models.ForeignKey(ApiSender, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=8)  # lets the agent tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.sender})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, sender: ApiSender) -> tuple["ApiToken", str]:
        key = "dmca_" + secrets.token_urlsafe(32)
        token = cls.objects.create(sender=sender, prefix=key[5:13], key_hash=cls.hash_key(key))
        return token, key


class IdempotencyRecord(models.Model):
    """The first answer to a request sent with an Idempotency-Key, replayed on retries."""

    sender = models.ForeignKey(ApiSender, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.sender}: {self.key}"
