"""Writes to users: creating accounts with roles, issuing API tokens."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction

from grassroots.accounts.models import ApiToken, User
from grassroots.core import roles as role_names


@transaction.atomic
def user_create(
    *, username: str, password: str, full_name: str = "", roles: list[str] = (), **extra
) -> User:
    """Create an active user with the given role groups (a role group missing from the database,
    e.g. after a test flush, is created: a user never silently lacks a role asked for)."""
    unknown = set(roles) - set(role_names.ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    user = User.objects.create_user(
        username=username, password=password, full_name=full_name, **extra
    )
    if roles:
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in roles])
    return user


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a personal API token for ``user``; returns it with its secret key, which is not
    stored (only its SHA-256) and cannot be shown again."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key))
    return token, key
