from datetime import timedelta

from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write


class MembersConfig(ModuleConfig):
    name = "grassroots.members"
    verbose_name = "Đảng viên"
    url_prefix = "members/"
    api_prefix = "/members"
    tracked = True
    audited = {
        "Member": ("name_folded", "name_key", "updated_at", "version"),
        "MemberEvent": (),
        "MemberProfileChange": (),
        "MemberProcedure": (),
    }
    menu = (
        MenuEntry("Đảng viên", "members:list", order=30),
        MenuEntry("Cảnh báo", "members:checks", order=80, section=False),
    )
    sweep = Sweep(
        forms=(
            "members:create",
            "members:edit",
            "members:event",
            "members:correct",
            "members:cancel",
            "members:profile_change",
            "members:procedure",
        ),
        unbuilt={},
    )

    def ready(self):
        super().ready()
        # The subtree tallies follow every rewrite of the organisations' closure.
        from grassroots.members import tally  # noqa: F401

    def urls(self):
        from grassroots.members import urls

        return urls

    def api_router(self):
        from grassroots.members.api import router

        return router

    def interchange(self):
        # member_profile_changes.csv: the dated changes of the member record (Mẫu 3-HSĐV).
        from grassroots.members import interchange

        return (interchange,)

    def holdings(self, organization, day, *, onwards=False):
        """The members of the organisation: a restructure moves them with ``member_move``."""
        from grassroots.members.hooks import holdings

        return holdings(organization, day, onwards=onwards)

    def panels(self, kind):
        from grassroots.members.hooks import OrganizationMembersPanel

        return (OrganizationMembersPanel(),) if kind == "organization" else ()

    def sweep_objects(self, home):
        from grassroots.members.forms import MemberProfileForm
        from grassroots.members.services import (
            member_admit,
            member_confirm,
            member_create,
            member_procedure_record,
            member_profile_change,
        )

        member = member_create(
            acting_user=None,
            code=f"SW-M-{home.organization.code}",
            full_name=f"Lù Văn {str(home.place).split()[-1]}",
            gender="male",
            birth_date=home.day.replace(year=home.day.year - 30),
            national_id=f"0{home.organization.pk:011d}",
        )
        member_admit(
            acting_user=None,
            member=member,
            day=home.day,
            organization=home.organization,
            place=home.place,
        )
        confirmed, _ = member_confirm(
            acting_user=None, member=member, day=home.day + timedelta(days=366)
        )
        later = (home.day + timedelta(days=800)).isoformat()
        member_profile_change(
            acting_user=None,
            member=member,
            day=home.day + timedelta(days=400),
            field="political_theory",
            value="elementary",
        )
        member_procedure_record(
            acting_user=None,
            member=member,
            day=home.day + timedelta(days=450),
            kind="card",
            number=f"SW-{home.organization.pk}",
        )
        profile = {
            name: "" if value is None else value
            for name, value in MemberProfileForm.initial_for(member).items()
            if name != "photo"
        }
        profile.update(birth_date=member.birth_date.isoformat(), occupation="Giáo viên")
        # Recording an event writes the event and the member's state (one entry each).
        one_event = {"members.memberevent": 1, "members.member": 1}
        return SweepObjects(
            kwargs={"code": member.code, "pk": confirmed.pk, "event_id": confirmed.pk},
            route_kwargs={"members:event": {"kind": "exempted"}},
            query={
                "GET /": {"organization": home.organization.code},
                "members:list": {"organization": home.organization.code},
            },
            writes={
                "POST /": Write(
                    {
                        "code": f"SW-N-{home.organization.code}",
                        "full_name": "Lò Thị Mới",
                        "gender": "female",
                        "birth_date": "1995-02-03",
                        "first_event": {
                            "event": "admitted",
                            "date": later,
                            "organization_code": home.organization.code,
                            "place_code": home.place.code,
                        },
                    },
                    # The member row, its admission event, the state entry.
                    audit={"members.member": 2, "members.memberevent": 1},
                ),
                "POST /{code}/events": Write({"event": "exempted", "date": later}, audit=one_event),
                "POST /{code}/events/{event_id}/correct": Write(
                    {"note": "Đính chính"}, audit=one_event
                ),
                "POST /{code}/events/{event_id}/cancel": Write({}, audit=one_event),
                "members:event": Write({"date": later, "note": "Miễn"}, audit=one_event),
                "members:edit": Write(profile, audit={"members.member": 1}),
                "members:profile_change": Write(
                    {"date": later, "field": "general_education", "value": "upper_secondary"},
                    audit={"members.memberprofilechange": 1},
                ),
                "PATCH /{code}": Write({"occupation": "Kỹ sư"}, audit={"members.member": 1}),
                "members:procedure": Write(
                    {"date": later, "kind": "card", "number": "SW-001"},
                    # the newest card's number becomes the member's
                    audit={"members.memberprocedure": 1, "members.member": 1},
                ),
                "POST /{code}/procedures": Write(
                    {"date": later, "kind": "card", "number": "SW-002"},
                    # the newest card's number becomes the member's
                    audit={"members.memberprocedure": 1, "members.member": 1},
                ),
            },
        )
