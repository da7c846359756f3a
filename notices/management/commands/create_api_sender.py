from django.core.management.base import BaseCommand, CommandError

from notices.models import ApiSender, ApiToken


class Command(BaseCommand):
    help = "Create an API sender (or add a token to an existing one) and print a new token once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--email", required=True)

    def handle(self, *args, name, email, **options):
        if len(name) > 200:
            raise CommandError("The name can be at most 200 characters.")
        sender, created = ApiSender.objects.get_or_create(name=name, defaults={"email": email})
        _, key = ApiToken.issue(sender)
        self.stdout.write(f"{'Created' if created else 'Existing'} sender: {sender.name}")
        self.stdout.write(f"Token (shown only once, store it now): {key}")
