"""Shared fixtures. Tests run against a real database: SQLite by default, PostgreSQL when
``DATABASE_URL`` points at one (``make test`` runs both)."""

import tempfile

import pytest


def pytest_configure(config):
    from django.conf import settings

    # The manifest storage needs collectstatic; tests serve static files from the apps directly.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Wagtail's models open the storages while Django starts: forget the ones built from the
    # settings before this swap.
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages
    from django.utils.functional import empty

    storages._backends = None
    storages.__dict__.pop("backends", None)
    storages._storages.pop("staticfiles", None)
    staticfiles_storage._wrapped = empty
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Wagtail enqueues tasks while Django starts: forget the backends built from the settings
    # before this change.
    from asgiref.local import Local
    from django_tasks import task_backends

    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)
    # The real file cache, in a folder of this run only (a Redis cache is kept as it is).
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        settings.CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="grassroots-cache-")


@pytest.fixture
def make_user(db):
    """Create a user with roles: ``make_user("ana", roles=["editor"])``."""
    from tests.factories import user

    return user


@pytest.fixture
def admin_user(make_user):
    return make_user("quantri", roles=["admin"], full_name="Quản trị", is_superuser=True)


@pytest.fixture
def reg(db):
    """A small registry: province 12 > district 112 > communes A/B > villages with cells."""
    from tests.factories import registry

    return registry()
