from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Takedown notices"

    def ready(self):
        # The desk lives in notices/desk/admin/, not in the notices.admin that the admin's
        # autodiscovery looks for: importing it registers its pages.
        from .desk import admin  # noqa: F401
