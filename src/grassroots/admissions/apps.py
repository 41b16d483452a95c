from datetime import timedelta

from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write


class AdmissionsConfig(ModuleConfig):
    name = "grassroots.admissions"
    verbose_name = "Phát triển đảng viên"
    url_prefix = "admissions/"
    api_prefix = "/admissions"
    tracked = True
    audited = {
        "Candidate": ("name_folded", "name_key", "version"),
        "CandidateStep": (),
        "AdmissionTarget": ("version",),
    }
    menu = (MenuEntry("Phát triển đảng viên", "admissions:list", order=50),)
    sweep = Sweep(
        forms=(
            "admissions:create",
            "admissions:target_create",
            "admissions:target_edit",
            "admissions:step",
        )
    )

    def urls(self):
        from grassroots.admissions import urls

        return urls

    def api_router(self):
        from grassroots.admissions.api import router

        return router

    def interchange(self):
        # candidates.csv, candidate_steps.csv, targets.csv and ratings.csv.
        from grassroots.admissions import interchange

        return (interchange,)

    def sweep_objects(self, home):
        from grassroots.admissions.services import candidate_create, target_set

        candidate = candidate_create(
            acting_user=None,
            code=f"SW-C-{home.organization.code}",
            full_name=f"Lò Thị {str(home.place).split()[-1]}",
            gender="female",
            birth_date=home.day.replace(year=home.day.year - 20),
            source="youth_union",
            organization=home.organization,
            place=home.place,
            identified_on=home.day,
        )
        year = home.day.year
        target = target_set(
            acting_user=None,
            organization=home.committee,
            year_from=year,
            year_to=year + 4,
            per_year=5,
        )
        committee = {"organization": home.committee.code}
        return SweepObjects(
            kwargs={"code": candidate.code, "pk": target.pk, "stage": "trained"},
            query={
                "admissions:admitted": {**committee, "year": str(year)},
                "admissions:pipeline": committee,
                "admissions:list": {"organization": home.organization.code},
                "GET /candidates": {"organization": home.organization.code},
                "GET /figures/funnel": committee,
                "GET /figures/targets": {
                    **committee,
                    "year_from": str(year),
                    "year_to": str(year + 4),
                },
                "GET /figures/overdue": committee,
            },
            writes={
                "POST /candidates": Write(
                    {
                        "code": f"SW-D-{home.organization.code}",
                        "full_name": "Lò Văn Mới",
                        "gender": "male",
                        "birth_date": "2001-04-05",
                        "source": "youth_union",
                        "organization_code": home.organization.code,
                        "place_code": home.place.code,
                        "identified_on": (home.day + timedelta(days=30)).isoformat(),
                    },
                    # The candidate and its first step (identified).
                    audit={"admissions.candidate": 1, "admissions.candidatestep": 1},
                ),
                "POST /candidates/{code}/steps": Write(
                    {"stage": "trained", "date": (home.day + timedelta(days=60)).isoformat()},
                    # The step, and the candidate's stage.
                    audit={"admissions.candidate": 1, "admissions.candidatestep": 1},
                ),
                "admissions:target_edit": Write(
                    {**committee, "year_from": year, "year_to": year + 4, "per_year": 7},
                    audit={"admissions.admissiontarget": 1},
                ),
                "POST /targets": Write(
                    {
                        "organization_code": home.committee.code,
                        "year_from": year + 5,
                        "year_to": year + 9,
                        "per_year": 3,
                    },
                    audit={"admissions.admissiontarget": 1},
                ),
            },
        )
