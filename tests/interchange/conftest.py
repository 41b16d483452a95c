from datetime import date

import pytest

from tests import factories


@pytest.fixture
def province_committee(db):
    """The province and its committee exactly as the generated history has them (its rows are
    then skipped on import): a scope for editors."""
    province = factories.place(
        name="Tỉnh Lai Châu", kind="province", code="12", valid_from=date(2004, 1, 1)
    )
    return factories.org(
        name="Đảng bộ tỉnh Lai Châu",
        kind="committee",
        place=province,
        code="DB-12",
        valid_from=date(2004, 1, 1),
    )


@pytest.fixture
def editor(make_user, province_committee):
    return make_user("bientap", roles=["editor"], full_name="Lò Thị Biên", scope=province_committee)


@pytest.fixture
def run_import(db):
    """Import a package path, as ``grassroots import`` does (by default with no user, which is
    not limited to a scope); returns the report."""
    from grassroots.interchange.services import import_job_create, import_job_run

    def run(path, user=None):
        job = import_job_create(acting_user=user, source_name=str(path))
        return import_job_run(job=job, source=path)

    return run
