"""Writes to users: creating accounts with roles, issuing API tokens."""

import secrets
from collections.abc import Sequence
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from grassroots.accounts.models import ApiToken, User
from grassroots.core import roles as role_names
from grassroots.core.errors import RuleError


@transaction.atomic
def user_create(
    *, username: str, password: str, full_name: str = "", roles: Sequence[str] = (), **extra: Any
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


def user_register_check(*, username: str, roles: Sequence[str], scope_code: str) -> Any:
    """The checks of :func:`user_register` that need no password, so the command line refuses
    before asking for one; returns the scope organisation."""
    if not username.strip():
        raise RuleError("Cần nhập tên đăng nhập.", code="username_required")
    unknown = [name for name in roles if name not in role_names.ROLES]
    if unknown or not roles:
        known = ", ".join(f"{code} ({label})" for code, label in role_names.ROLES.items())
        what = f"Không có vai trò {', '.join(unknown)}." if unknown else "Cần ít nhất một vai trò."
        raise RuleError(f"{what} Các vai trò: {known}.", code="unknown_role")
    # The organisation model through the foreign key: accounts sits below organizations.
    organization_model = User._meta.get_field("scope").related_model
    scope = organization_model._default_manager.filter(code=scope_code.strip()).first()
    if scope is None:
        raise RuleError(f"Không có tổ chức đảng mã '{scope_code}'.", code="unknown_scope")
    if User.objects.filter(username__iexact=username.strip()).exists():
        raise RuleError(f"Tên đăng nhập '{username}' đã có người dùng.", code="username_taken")
    return scope


@transaction.atomic
def user_register(
    *,
    acting_user: User | None,
    username: str,
    password: str,
    roles: Sequence[str],
    scope_code: str,
    full_name: str = "",
) -> User:
    """An administrator sets up a member of staff (``grassroots createuser``): a new login with
    role groups and a scope organisation given by its code. Refuses, with a Vietnamese message
    and nothing written, an unknown role, an unknown scope code, a login already taken or a
    password that fails the password rules; the new account is written to the audit log with
    its roles and scope."""
    scope = user_register_check(username=username, roles=roles, scope_code=scope_code)
    username = username.strip()
    try:
        validate_password(password, user=User(username=username, full_name=full_name))
    except ValidationError as exc:
        raise RuleError(_password_messages(exc), code="weak_password") from None
    user = user_create(
        username=username, password=password, full_name=full_name, roles=roles, scope=scope
    )
    actor = {"actor": acting_user} if acting_user is not None else {}
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.CREATE,
        changes={
            "username": ["", username],
            "roles": ["", ", ".join(sorted(set(roles)))],
            "scope": ["", scope.code],
        },
        **actor,
    )
    return user


def _password_messages(error: ValidationError) -> str:
    """The password rules' messages; Django's Vietnamese translation lacks the length rule's."""
    messages = []
    for item in error.error_list:
        if item.code == "password_too_short" and item.params:
            messages.append(f"Mật khẩu quá ngắn: cần ít nhất {item.params['min_length']} ký tự.")
        else:
            messages.extend(item.messages)
    return " ".join(messages)
