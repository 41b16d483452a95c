from datetime import timedelta

from grassroots.core import roles
from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write

#: The routes of confidential case records and of the inspectors' writes: the sweep uses them
#: as an inspector and checks a user without the role gets 404.
INSPECTOR_ROUTES = (
    "inspections:case",
    "inspections:case_step",
    "inspections:case_create",
    "inspections:decision_create",
    "inspections:appeal_lodge",
    "inspections:appeal_decide",
    "inspections:programme_create",
    "inspections:programme_item_add",
    "GET /cases/{code}",
    "POST /cases",
    "POST /cases/{code}/steps",
    "POST /decisions",
    "POST /decisions/{code}/appeals",
    "POST /appeals/{appeal_id}/decide",
    "POST /programmes",
    "POST /programmes/{programme_id}/items",
)


class InspectionsConfig(ModuleConfig):
    name = "grassroots.inspections"
    verbose_name = "Kiểm tra, giám sát và kỷ luật"
    url_prefix = "inspections/"
    api_prefix = "/inspections"
    tracked = True
    audited = {
        "Programme": ("version",),
        "ProgrammeItem": (),
        "Case": ("version",),
        "DisciplineDecision": ("version",),
        "Appeal": (),
    }
    menu = (
        MenuEntry("Kiểm tra, giám sát", "inspections:cases", role=roles.INSPECTOR, order=62),
        MenuEntry("Kỷ luật", "inspections:decisions", order=63),
    )
    sweep = Sweep(
        forms=(
            "inspections:case_step",
            "inspections:case_create",
            "inspections:decision_create",
            "inspections:appeal_lodge",
            "inspections:appeal_decide",
            "inspections:programme_create",
            "inspections:programme_item_add",
        ),
        roles=dict.fromkeys(INSPECTOR_ROUTES, roles.INSPECTOR),
    )

    def urls(self):
        from grassroots.inspections import urls

        return urls

    def api_router(self):
        from grassroots.inspections.api import router

        return router

    def interchange(self):
        # inspection_cases.csv and discipline.csv.
        from grassroots.inspections import interchange

        return (interchange,)

    def panels(self, kind):
        from grassroots.inspections.hooks import MemberDisciplinePanel, OrganizationDisciplinePanel

        if kind == "member":
            return (MemberDisciplinePanel(),)
        if kind == "organization":
            return (OrganizationDisciplinePanel(),)
        return ()

    def sweep_objects(self, home):
        from grassroots.inspections import services
        from grassroots.members.services import member_admit, member_confirm, member_create

        suffix = home.organization.code
        member = member_create(
            acting_user=None,
            code=f"SW-I-{suffix}",
            full_name=f"Lò Văn Khang {suffix}",
            gender="male",
            birth_date=home.day.replace(year=home.day.year - 35),
        )
        member_admit(
            acting_user=None,
            member=member,
            day=home.day,
            organization=home.organization,
            place=home.place,
        )
        member_confirm(acting_user=None, member=member, day=home.day + timedelta(days=366))
        year = home.day.year
        programme = services.programme_create(
            acting_user=None,
            organization=home.committee,
            kind="year",
            year_from=year,
            title=f"Chương trình kiểm tra, giám sát năm {year}",
        )
        services.programme_item_add(
            acting_user=None,
            programme=programme,
            kind="supervision_regular",
            subject="organization",
            organization=home.organization,
            topic="Giám sát việc thực hiện nghị quyết",
            period_start=home.day,
            period_end=home.day + timedelta(days=60),
        )
        case = services.case_open(
            acting_user=None,
            code=f"SW-KT-{suffix}",
            kind="inspection_signs",
            subject="member",
            member=member,
            topic="Kiểm tra khi có dấu hiệu vi phạm",
            deciding_body="Ủy ban Kiểm tra Đảng ủy xã",
            decision_number="01-QĐ/UBKT",
            decided_on=home.day + timedelta(days=10),
        )
        decision = services.discipline_decide(
            acting_user=None,
            code=f"SW-KL-{suffix}",
            subject="member",
            member=member,
            case=case,
            level="reprimand",
            violation_kind="duties",
            violation_date=home.day + timedelta(days=5),
            decided_on=home.day + timedelta(days=40),
            deciding_body="Chi bộ",
            decision_number="02-QĐ/CB",
            votes_for=5,
            votes_total=7,
        )
        unappealed = services.discipline_decide(
            acting_user=None,
            code=f"SW-KL4-{suffix}",
            subject="organization",
            organization=home.organization,
            level="reprimand",
            violation_kind="principles",
            violation_date=home.day + timedelta(days=5),
            decided_on=home.day + timedelta(days=50),
            deciding_body="Ban Thường vụ Đảng ủy",
            decision_number="03-QĐ/ĐU",
            votes_for=4,
            votes_total=5,
        )
        appeal = services.appeal_lodge(
            acting_user=None, decision=decision, lodged_on=home.day + timedelta(days=45)
        )
        day = (home.day + timedelta(days=20)).isoformat()
        later = (home.day + timedelta(days=500)).isoformat()
        decided = {
            "subject": "member",
            "level": "warning",
            "violation_kind": "ethics",
            "violation_date": (home.day + timedelta(days=450)).isoformat(),
            "decided_on": later,
            "deciding_body": "Chi bộ",
            "decision_number": "09-QĐ/CB",
            "votes_for": 6,
            "votes_total": 7,
        }
        one_case = {"inspections.case": 1}
        return SweepObjects(
            kwargs={"code": case.code, "pk": programme.pk},
            route_kwargs={
                "inspections:decision": {"code": decision.code},
                "inspections:appeal_lodge": {"code": unappealed.code},
                "inspections:appeal_decide": {"pk": appeal.pk},
                "GET /decisions/{code}": {"code": decision.code},
                "POST /decisions/{code}/appeals": {"code": unappealed.code},
                "GET /programmes/{programme_id}": {"programme_id": programme.pk},
                "POST /programmes/{programme_id}/items": {"programme_id": programme.pk},
                "POST /appeals/{appeal_id}/decide": {"appeal_id": appeal.pk},
            },
            query={
                "inspections:cases": {"organization": home.organization.code},
                "inspections:decisions": {"organization": home.organization.code},
                "inspections:figures": {"organization": home.committee.code},
                "GET /cases": {"organization": home.organization.code},
                "GET /decisions": {"organization": home.organization.code},
            },
            writes={
                "inspections:case_step": Write(
                    {"step": "planned", "day": day, "based_on": ""}, audit=one_case
                ),
                "POST /cases/{code}/steps": Write({"step": "planned", "day": day}, audit=one_case),
                "POST /cases": Write(
                    {
                        "code": f"SW-KT2-{suffix}",
                        "kind": "supervision_thematic",
                        "subject": "organization",
                        "subject_code": home.organization.code,
                        "topic": "Giám sát chuyên đề",
                        "deciding_body": "Ban Thường vụ Đảng ủy",
                        "decision_number": "05-QĐ/ĐU",
                        "decided_on": day,
                    },
                    audit=one_case,
                ),
                "inspections:case_create": Write(
                    {
                        "code": f"SW-KT3-{suffix}",
                        "kind": "inspection_tasks",
                        "subject": "organization",
                        "organization": home.organization.code,
                        "topic": "Kiểm tra thực hiện nhiệm vụ",
                        "deciding_body": "Ban Thường vụ Đảng ủy",
                        "decision_number": "06-QĐ/ĐU",
                        "decided_on": day,
                    },
                    audit=one_case,
                ),
                "POST /decisions": Write(
                    {**decided, "code": f"SW-KL2-{suffix}", "subject_code": member.code},
                    audit={"inspections.disciplinedecision": 1},
                ),
                "inspections:decision_create": Write(
                    {**decided, "code": f"SW-KL3-{suffix}", "member": member.code},
                    audit={"inspections.disciplinedecision": 1},
                ),
                "POST /decisions/{code}/appeals": Write(
                    {"lodged_on": (home.day + timedelta(days=60)).isoformat()},
                    audit={"inspections.appeal": 1},
                ),
                "inspections:appeal_lodge": Write(
                    {"lodged_on": (home.day + timedelta(days=60)).isoformat()},
                    audit={"inspections.appeal": 1},
                ),
                "inspections:appeal_decide": Write(
                    {"decided_on": later, "outcome": "upheld"},
                    audit={"inspections.appeal": 1},
                ),
                "POST /appeals/{appeal_id}/decide": Write(
                    {"decided_on": later, "outcome": "upheld"},
                    audit={"inspections.appeal": 1},
                ),
                "POST /programmes": Write(
                    {
                        "organization_code": home.committee.code,
                        "kind": "year",
                        "year_from": year + 1,
                        "title": "Chương trình năm sau",
                    },
                    audit={"inspections.programme": 1},
                ),
                "inspections:programme_create": Write(
                    {
                        "organization": home.committee.code,
                        "kind": "term",
                        "year_from": year,
                        "year_to": year + 4,
                        "title": "Chương trình toàn khóa",
                    },
                    audit={"inspections.programme": 1},
                ),
                "POST /programmes/{programme_id}/items": Write(
                    {
                        "kind": "inspection_finance",
                        "subject": "organization",
                        "subject_code": home.organization.code,
                        "topic": "Kiểm tra thu nộp đảng phí",
                        "period_start": day,
                        "period_end": day,
                    },
                    audit={"inspections.programmeitem": 1},
                ),
                "inspections:programme_item_add": Write(
                    {
                        "kind": "inspection_finance",
                        "subject": "organization",
                        "organization": home.organization.code,
                        "topic": "Kiểm tra thu nộp đảng phí",
                        "period_start": day,
                        "period_end": day,
                    },
                    audit={"inspections.programmeitem": 1},
                ),
            },
        )
