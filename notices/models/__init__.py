"""The case's data. Django and the migrations find every model, and the helpers the
migrations name, here."""

from .case import (
    ActingAs,
    AppendOnly,
    Attachment,
    Channel,
    InfringingItem,
    Notice,
    NoticeEvent,
    ReferenceSequence,
    Work,
    attachment_path,
    new_token,
)
from .hosted import HostedRemoval
from .mail import InboundMessage
from .network import (
    AddressAssignment,
    NetworkCase,
    NetworkEvent,
    NetworkSender,
    NetworkSenderAddress,
    NetworkSenderDecision,
)
from .outbox import Letter
from .policy import Mitigation, PolicyStep
from .records import Document, ExportJob, PersonalDataView, document_path
from .senders import ApiSender, ApiToken, IdempotencyRecord
from .subscribers import NetworkResource, Subscriber, SubscriberEvent, SubscriberNotification

__all__ = [
    "ActingAs",
    "AddressAssignment",
    "ApiSender",
    "ApiToken",
    "AppendOnly",
    "Attachment",
    "Channel",
    "Document",
    "HostedRemoval",
    "ExportJob",
    "IdempotencyRecord",
    "InboundMessage",
    "InfringingItem",
    "Letter",
    "Mitigation",
    "NetworkCase",
    "NetworkEvent",
    "NetworkResource",
    "NetworkSender",
    "NetworkSenderAddress",
    "NetworkSenderDecision",
    "Notice",
    "NoticeEvent",
    "PersonalDataView",
    "PolicyStep",
    "ReferenceSequence",
    "Subscriber",
    "SubscriberEvent",
    "SubscriberNotification",
    "Work",
    "attachment_path",
    "document_path",
    "new_token",
]
