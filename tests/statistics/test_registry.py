"""The figure registry: what every figure declares, and the API, command line and drill-down
generated from it — parametrised over the registry, so a new figure is tested here as soon as it
is registered."""

import ast
import html
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import get_template
from django.urls import reverse

import grassroots
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from tests.factories import rolled_back
from tests.statistics.history import build_history

SAMPLE = {
    "as_of": "2020-12-31",
    "from": "2013-06-01",
    "to": "2020-12-31",
    "year_from": "2016",
    "year_to": "2020",
}
FIGURES = [figure.name for figure in registry.all_figures()]
#: Figures of an organisation given by the caller; a figure about a record of one (the
#: ``indicators`` review of a resolution, ``organization_of``) is tested with its app.
ORG_FIGURES = [f.name for f in registry.all_figures() if f.organization_of is None]
SRC = Path(grassroots.__file__).parent


def _params(figure: registry.Figure) -> dict[str, str]:
    return {p.name: SAMPLE.get(p.name, p.default) for p in figure.params}


def _cli(name: str, *args) -> str:
    out = StringIO()
    call_command("report", name, *args, stdout=out)
    return out.getvalue()


def _cli_args(figure: registry.Figure, organization: str) -> list[str]:
    args = ["--org", organization]
    for name, value in _params(figure).items():
        args += ["--" + name.replace("_", "-"), value]
    return args


@pytest.fixture(scope="module")
def shared_history(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield build_history()


@pytest.fixture
def history(shared_history, db):
    """One history for the module (read by every figure's tests, changed by none)."""
    return shared_history


# --- What every figure declares ----------------------------------------------------------------


def test_the_registry_holds_every_figure_once():
    assert len(FIGURES) == len(set(FIGURES))
    assert {"coverage", "admissions", "movements", "members", "breakdown"} <= set(FIGURES)
    assert {"admission-targets", "funnel", "overdue", "ratings"} <= set(FIGURES)


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_declares_label_definition_parameters_and_records(name):
    figure = registry.get(name)
    assert re.fullmatch(r"[a-z][a-z0-9-]*", figure.name)
    # Vietnamese label and definition: words with diacritics, not a code.
    assert re.search(r"[à-ỹđ]", figure.label.lower()) and len(figure.definition) > 40
    assert re.search(r"[à-ỹđ]", figure.definition.lower())
    assert callable(figure.compute) and callable(figure.records)
    assert re.fullmatch(r"grassroots\.\w+\.(\w+_)?figures", figure.module)
    names = [param.name for param in figure.params]
    assert len(names) == len(set(names)) and "organization" not in names
    for param in figure.params:
        assert param.kind in ("date", "year", "choice", "code") and param.label


def test_an_unknown_figure_and_a_second_declaration_are_refused():
    with pytest.raises(NotFound):
        registry.get("khong-co")
    coverage = registry.get("coverage")
    from dataclasses import replace

    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="twice"):
        registry.register(replace(coverage, module="grassroots.other.figures"))
    assert registry.get("coverage") is coverage


def test_every_card_has_a_template():
    cards = registry.cards()
    assert [card.name for card in cards] == ["coverage", "structure", "history", "admissions"]
    for card in cards:
        get_template(card.template)


# --- API, command line and drill-down for every figure -----------------------------------------


@pytest.mark.parametrize("name", ORG_FIGURES)
def test_api_and_command_line_give_the_same_object(client, history, admin_user, name):
    figure = registry.get(name)
    client.force_login(admin_user)
    response = client.get(f"/api/v1/reports/{name}", {"organization": "DB-112", **_params(figure)})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["organization"] == "DB-112"
    for param, value in _params(figure).items():
        assert str(answer[param]) == value
    printed = json.loads(_cli(name, *_cli_args(figure, "DB-112"), "--json"))
    assert printed == answer
    values = figure.parse(_params(figure))
    assert json.loads(json.dumps(figure.compute_uncached(history.reg.committee, **values))) == (
        answer
    )
    assert _cli(name, *_cli_args(figure, "DB-112")).strip()  # a readable table too


@pytest.mark.parametrize("name", ORG_FIGURES)
def test_api_and_command_line_refuse_what_they_cannot_answer(client, history, make_user, name):
    figure = registry.get(name)
    client.force_login(make_user("xa-b", scope=history.reg.commune_committee_b))
    url = f"/api/v1/reports/{name}"
    assert client.get(url, {"organization": "DU-03460", **_params(figure)}).status_code == 200
    for code in ("DU-03434", "DB-112", "KHONG-CO"):
        assert client.get(url, {"organization": code, **_params(figure)}).status_code == 404
    required = [p for p in figure.params if p.default is None]
    if required:
        missing = {**_params(figure)}
        del missing[required[0].name]
        response = client.get(url, {"organization": "DU-03460", **missing})
        assert response.status_code == 422
        # coverage and admissions keep their own routes, whose schema answers first
        assert response.json()["code"] in ("invalid_parameter", "invalid_request")
        assert required[0].name in response.json()["detail"]
    with pytest.raises(CommandError, match="Không tìm thấy tổ chức đảng có mã KHONG-CO"):
        _cli(name, *_cli_args(figure, "KHONG-CO"))
    bad = _cli_args(figure, "DB-112")
    bad[3] = "x"  # the first parameter's value
    with pytest.raises(CommandError, match="--" + figure.params[0].name.replace("_", "-")):
        _cli(name, *bad)


def test_api_unknown_figure_is_404(client, history, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/reports/khong-co", {"organization": "DB-112"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("name", ORG_FIGURES)
def test_every_number_drills_down_to_as_many_records(client, history, admin_user, name):
    figure = registry.get(name)
    values = figure.parse(_params(figure))
    for organization in (history.reg.committee, history.reg.commune_committee_a):
        result = figure.report(organization, **values)
        counted = figure.counted(result)
        assert counted, "a figure without a number to drill into"
        for path, number in counted:
            records = figure.drill(organization, path, **values)
            assert records.queryset.count() == number, path
    with pytest.raises(NotFound):
        figure.drill(history.reg.committee, "khong.co", **values)
    # The page lists them (one path per figure, through the page).
    path, number = counted[0]
    client.force_login(admin_user)
    page = client.get(
        reverse("statistics:drilldown"),
        {"figure": f"{name}.{path}", "organization": organization.code, **_params(figure)},
    )
    assert page.status_code == 200
    body = page.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == min(number, 50)
    assert html.escape(figure.title_of(path)) in page.content.decode()


def test_drilldown_of_an_unknown_path_or_bad_parameter_is_404(client, history, admin_user):
    client.force_login(admin_user)
    url = reverse("statistics:drilldown")
    base = {"organization": "DB-112", "from": "2013-01-01", "to": "2020-12-31"}
    assert client.get(url, {**base, "figure": "admissions.by_year.2015"}).status_code == 200
    assert client.get(url, {**base, "figure": "admissions.by_year.2030"}).status_code == 404
    assert client.get(url, {**base, "figure": "movements.khong_co"}).status_code == 404
    assert client.get(url, {**base, "to": "2012-01-01", "figure": "admissions"}).status_code == 404


# --- Admissions per year: one implementation ---------------------------------------------------


def test_admissions_per_year_is_computed_once(client, history, admin_user):
    from grassroots.admissions import figures as admission_figures
    from grassroots.members import figures as member_figures
    from grassroots.statistics import figures as statistics_figures

    assert statistics_figures.admissions_by_year is member_figures.admissions_by_year
    assert registry.get("admissions").compute is member_figures.admissions
    # Dashboard card = report = API = command line = admissions against the target.
    client.force_login(admin_user)
    page = client.get(
        reverse("statistics:dashboard"), {"organization": "DB-112", "as_of": "2020-12-31"}
    )
    history_card = page.content.decode().split('id="history-heading"', 1)[1]
    rows = re.findall(
        r'<th scope="row">(\d{4})</th>.*?<td class="num"><a href="[^"]+">[\d.]+</a></td>\s*'
        r'<td class="num"><a href="[^"]+">[\d.]+</a></td>\s*<td class="num"><a href="[^"]+">'
        r"([\d.]+)</a>",
        history_card,
        re.DOTALL,
    )
    on_card = {year: int(n.replace(".", "")) for year, n in rows}
    start = min(on_card)
    api = client.get(
        "/api/v1/reports/admissions",
        {"organization": "DB-112", "from": f"{start}-01-01", "to": "2020-12-31"},
    ).json()
    cli = json.loads(
        _cli(
            "admissions",
            "--org",
            "DB-112",
            "--from",
            f"{start}-01-01",
            "--to",
            "2020-12-31",
            "--json",
        )
    )
    targets = admission_figures.admissions_vs_target(
        organization=history.reg.committee, year_from=int(start), year_to=2020
    )
    assert sum(on_card.values()) > 0
    assert api["by_year"] == cli["by_year"] == on_card
    assert {str(row["year"]): row["admitted"] for row in targets} == on_card


# --- NotFound from selectors, and the layers ---------------------------------------------------


def test_selectors_raise_the_domain_not_found(history, make_user):
    from grassroots.organizations.selectors import organization_by_code
    from grassroots.statistics import selectors

    with pytest.raises(NotFound, match="KHONG-CO"):
        organization_by_code("KHONG-CO")
    scoped = make_user("xa-b2", scope=history.reg.commune_committee_b)
    with pytest.raises(NotFound):
        organization_by_code("DU-03434", user=scoped)
    assert organization_by_code("DU-03460", user=scoped) == history.reg.commune_committee_b
    with pytest.raises(NotFound):
        selectors.movement_events(
            organization=history.reg.committee,
            start=date(2020, 1, 1),
            end=date(2020, 12, 31),
            movement="khong_co",
        )


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _apps_above_statistics() -> tuple[str, ...]:
    """The apps the layers contract (pyproject.toml) puts above statistics: the modules built
    on the registry's figures (reports…), the interchange, the demo."""
    import tomllib

    config = tomllib.loads((SRC.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if "layers" in c]
    above = layers[: layers.index("grassroots.statistics")]
    return tuple(
        name.strip().removeprefix("grassroots.")
        for layer in above
        for name in layer.replace(":", "|").split("|")
    )


def test_statistics_is_on_top_and_core_below_every_app():
    """No app below statistics imports it (they give it their figures through the registry),
    and the registry in core imports no domain app."""
    above = _apps_above_statistics()
    assert "reports" in above and "members" not in above
    upward = [
        f"{path.relative_to(SRC)}: {module}"
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).parts[0].removesuffix(".py") not in ("statistics", *above)
        for module in _imports(path)
        if module.startswith("grassroots.statistics")
    ]
    assert upward == []
    domain = ("places", "organizations", "members", "admissions", "ratings", "statistics")
    in_core = [
        module
        for module in _imports(SRC / "core" / "figures.py") | _imports(SRC / "core" / "charts.py")
        if module.startswith(tuple(f"grassroots.{app}" for app in domain))
    ]
    assert in_core == []
