"""The API's senders and their tokens."""

from django.contrib import admin, messages
from django.utils import timezone

from notices.models import ApiSender, ApiToken


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiSender)
class ApiSenderAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "active", "created_at"]
    search_fields = ["name", "email"]
    inlines = [ApiTokenInline]
    actions = ["issue_token_action", "revoke_tokens_action"]

    @admin.action(description="Issue a new API token (shown once)", permissions=["change"])
    def issue_token_action(self, request, queryset):
        for sender in queryset:
            _, key = ApiToken.issue(sender)
            self.message_user(
                request, f"Token for {sender.name}, shown only this once: {key}", messages.WARNING
            )

    @admin.action(
        description="Revoke all API tokens of the selected senders", permissions=["change"]
    )
    def revoke_tokens_action(self, request, queryset):
        revoked = ApiToken.objects.filter(sender__in=queryset, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        self.message_user(request, f"{revoked} token(s) revoked.")
