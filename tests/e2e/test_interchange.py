import zipfile
from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from tests import factories
from tests.interchange.history import history, write_package

TABLES = history(communes=1, villages=3, members=12)
NAMES = {row[1] for row in TABLES["members.csv"]}


@pytest.fixture
def package(tmp_path):
    """A small package as a .zip; its province and provincial committee already exist."""
    folder = write_package(tmp_path / "goi", TABLES)
    path = tmp_path / "goi.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    return path


@pytest.mark.django_db(transaction=True)
def test_editor_uploads_a_package_and_drills_into_a_figure(page, login, make_user, package):
    province = factories.place(
        name="Tỉnh Lai Châu", kind="province", code="12", valid_from=date(2004, 1, 1)
    )
    committee = factories.org(
        name="Đảng bộ tỉnh Lai Châu", kind="committee", place=province, code="DB-12",
        valid_from=date(2004, 1, 1),
    )  # fmt: skip
    make_user("bientap", roles=["editor"], full_name="Lò Thị Biên", scope=committee)
    login("bientap")

    page.goto(reverse("interchange:upload"))
    page.set_input_files("#id_file", str(package))
    page.click("form[enctype] button[type=submit]")
    report = page.locator("#job.report")
    report.wait_for()
    assert "Hoàn tất" in report.inner_text()
    assert "đảng viên mới: 12" in report.inner_text()

    try:
        page.goto(reverse("statistics:dashboard"))
    except NoReverseMatch:  # the dashboard is not there yet: the members list shows the import
        page.goto(reverse("members:list"))
        assert any(name in page.content() for name in NAMES)
        return
    official = page.locator("td.num a").first  # official members, the dashboard's first figure
    assert int(official.inner_text()) > 0
    official.click()
    page.wait_for_url("**/statistics/records/**")
    assert any(name in page.content() for name in NAMES)
