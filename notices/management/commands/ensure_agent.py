import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the Designated Agent's login with a generated password, shown once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="agent")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Designated Agent login: {username} (password shown when it was created; "
                f"reset it with `python manage.py changepassword {username}`)"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name="Designated agent"))
        self.stdout.write(f"Designated Agent login: {username} / {password}  (shown only once)")
