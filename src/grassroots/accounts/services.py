"""Writes to users: creating accounts with roles."""

from django.contrib.auth.models import Group
from django.db import transaction

from grassroots.accounts.models import User


@transaction.atomic
def user_create(
    *, username: str, password: str, full_name: str = "", roles: list[str] = (), **extra
) -> User:
    """Create an active user with the given role groups."""
    user = User.objects.create_user(
        username=username, password=password, full_name=full_name, **extra
    )
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    return user
