"""The demo, built once for every test of this package (each module's tests of its part of the
demo live here, so that the suite builds it once per database, not once per module).

``built_demo`` runs ``bootstrap`` on the empty test database inside a transaction that is rolled
back when the package's tests are done; a module that changes the demo to test it does so in a
savepoint of its own (:func:`tests.factories.rolled_back`)."""

import time
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def built_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var), transaction.atomic():
        out = StringIO()
        started, cpu = time.perf_counter(), time.process_time()
        call_command("bootstrap", stdout=out)
        seconds = time.perf_counter() - started
        print(f"\ndemo via bootstrap: {seconds:.1f} s, {time.process_time() - cpu:.1f} s CPU")
        yield SimpleNamespace(output=out.getvalue(), var=var, seconds=seconds)
        transaction.set_rollback(True)
    # Wagtail caches renditions by image id: the rolled-back demo's must not outlive it.
    cache.clear()
