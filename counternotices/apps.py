from django.apps import AppConfig


class CounternoticesConfig(AppConfig):
    name = "counternotices"
    verbose_name = "Counter notices"
