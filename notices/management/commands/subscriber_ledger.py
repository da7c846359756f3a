import json

from django.core.management.base import BaseCommand, CommandError

from notices.core.policy import subscriber_ledger
from notices.models import Subscriber


class Command(BaseCommand):
    help = (
        "Print a subscriber's repeat-infringer ledger (§ 512(i)) as JSON: the notices "
        "counted in the window, the steps taken and the step waiting for the agent."
    )

    def add_arguments(self, parser):
        parser.add_argument("account_id")

    def handle(self, *args, account_id, **options):
        try:
            subscriber = Subscriber.objects.get(account_id=account_id)
        except Subscriber.DoesNotExist:
            raise CommandError(f"No subscriber has the account id {account_id!r}.") from None
        self.stdout.write(json.dumps(subscriber_ledger(subscriber), indent=2))
