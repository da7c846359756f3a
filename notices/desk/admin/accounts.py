"""Staff accounts on the desk. A superuser keeps Django's whole user admin. The Designated
agent and a Desk administrator (auth's add, change and view user permissions) manage only
Legal staff and Auditor accounts: add them, give one of those two roles, deactivate them.
They cannot see or change any other account (their own, an agent's, a superuser's), grant
a permission one by one, or make anyone a superuser."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group, User
from django.db.models import Q

# The roles a non-superuser may hand out.
GRANTABLE = ["Legal staff", "Auditor"]


def _managed_by_desk(request) -> bool:
    """Whether this user manages accounts as the desk does, not as a superuser."""
    return not request.user.is_superuser


class DeskAccountForm(forms.ModelForm):
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.filter(name__in=GRANTABLE),
        widget=forms.CheckboxSelectMultiple,
        label="Role",
        error_messages={"required": "Give the account a role: Legal staff or Auditor."},
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active", "groups"]

    def clean_groups(self):
        roles = self.cleaned_data["groups"]
        if len(roles) != 1:
            raise forms.ValidationError("Give the account one role: Legal staff or Auditor.")
        return roles


class DeskAccountCreationForm(UserCreationForm):
    groups = DeskAccountForm.base_fields["groups"]

    class Meta(UserCreationForm.Meta):
        fields = ["username", "first_name", "last_name", "email", "groups"]

    clean_groups = DeskAccountForm.clean_groups

    def save(self, commit=True):
        user = super().save(commit=False)
        user.is_staff = True  # the desk is the admin: a role is no use without it
        if commit:
            user.save()
            self.save_m2m()
        return user


admin.site.unregister(User)


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    actions = ["deactivate_action"]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if not _managed_by_desk(request):
            return users
        other_roles = Group.objects.exclude(name__in=GRANTABLE)
        return (
            users.filter(is_superuser=False)
            .exclude(pk=request.user.pk)
            .exclude(Q(groups__in=other_roles) | ~Q(user_permissions=None))
            .distinct()
        )

    def get_list_display(self, request):
        if not _managed_by_desk(request):
            return super().get_list_display(request)
        return ["username", "first_name", "last_name", "roles", "is_active", "last_login"]

    def get_list_filter(self, request):
        return (
            ["is_active", "groups"]
            if _managed_by_desk(request)
            else super().get_list_filter(request)
        )

    @admin.display(description="Role")
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all()) or "None"

    def get_fieldsets(self, request, obj=None):
        if not _managed_by_desk(request):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return [
                (None, {"fields": ["username", "password1", "password2"]}),
                ("Who and what", {"fields": ["first_name", "last_name", "email", "groups"]}),
            ]
        return [
            (None, {"fields": ["username", "is_active"]}),
            ("Who and what", {"fields": ["first_name", "last_name", "email", "groups"]}),
        ]

    def get_form(self, request, obj=None, **kwargs):
        if _managed_by_desk(request):
            kwargs["form"] = DeskAccountForm if obj else DeskAccountCreationForm
        return super().get_form(request, obj, **kwargs)

    def has_deactivate_permission(self, request) -> bool:
        return request.user.has_perm("auth.change_user")

    @admin.action(description="Deactivate the selected accounts", permissions=["deactivate"])
    def deactivate_action(self, request, queryset):
        chosen = User.objects.filter(pk__in=queryset.values("pk")).exclude(pk=request.user.pk)
        done = chosen.update(is_active=False)
        self.message_user(request, f"{done} account(s) deactivated.", messages.SUCCESS)
