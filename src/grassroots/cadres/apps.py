from datetime import date, timedelta

from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write


class CadresConfig(ModuleConfig):
    name = "grassroots.cadres"
    verbose_name = "Cán bộ"
    url_prefix = "cadres/"
    api_prefix = "/cadres"
    tracked = True
    audited = {
        "Person": ("name_key", "version"),
        "Congress": ("version",),
        "Appointment": ("version",),
        "Plan": ("version",),
        "PlanEntry": ("version",),
        "PlanReview": ("version",),
        "Rotation": ("version",),
    }
    menu = (MenuEntry("Cán bộ", "cadres:list", order=55),)
    sweep = Sweep(
        forms=(
            "cadres:appointment_create",
            "cadres:appointment_end",
            "cadres:person_create",
            "cadres:congress_create",
            "cadres:congress_result",
            "cadres:plan_create",
            "cadres:plan_entry_add",
            "cadres:plan_review",
            "cadres:plan_entry_remove",
            "cadres:plan_entry_discipline",
            "cadres:rotation_create",
            "cadres:rotation_end",
        ),
    )

    def urls(self):
        from grassroots.cadres import urls

        return urls

    def api_router(self):
        from grassroots.cadres.api import router

        return router

    def interchange(self):
        # appointments.csv, plans.csv and rotations.csv.
        from grassroots.cadres import interchange

        return (interchange,)

    def sweep_objects(self, home):
        from grassroots.cadres import services
        from grassroots.members.services import member_admit, member_create

        services.positions_ensure()  # the catalogue (the migration's rows)
        prefix = home.organization.code
        day = home.day

        def member(n: int, gender: str = "male"):
            m = member_create(
                acting_user=None,
                code=f"SW-K{n}-{prefix}",
                full_name=f"Lò Văn Cán {n}",
                gender=gender,
                birth_date=date(1990, 3, n),
            )
            member_admit(
                acting_user=None,
                member=m,
                day=day,
                organization=home.organization,
                place=home.place,
            )
            return m

        people = [member(n, "female" if n % 2 else "male") for n in range(1, 5)]
        person = services.person_create(
            acting_user=None,
            code=f"SW-NN-{prefix}",
            organization=home.organization,
            full_name="Lường Văn Trưởng",
            gender="male",
            birth_date=date(1975, 1, 1),
        )
        appointment = services.appointment_create(
            acting_user=None,
            organization=home.organization,
            position="secretary",
            member=people[0],
            valid_from=day + timedelta(days=1),
        )
        services.appointment_create(
            acting_user=None,
            organization=home.organization,
            position="village_head",
            person=person,
            valid_from=day + timedelta(days=1),
        )
        congress = services.congress_create(
            acting_user=None,
            organization=home.committee,
            number=1,
            term_from=day.year,
            term_to=day.year + 5,
            starts_on=day + timedelta(days=2),
            ends_on=day + timedelta(days=3),
        )
        plan = services.plan_create(
            acting_user=None,
            organization=home.organization,
            term_from=day.year + 1,
            term_to=day.year + 6,
            term_starts_on=day + timedelta(days=400),
            approved_on=day + timedelta(days=5),
        )
        entry = services.plan_entry_add(
            acting_user=None, plan=plan, position="secretary", member=people[1], day=day
        )
        services.plan_review(
            acting_user=None, plan=plan, year=day.year, reviewed_on=day + timedelta(days=6)
        )
        # The moved home's "committee" is its cell: a move between bodies of one organisation.
        direction = "upper_to_lower" if home.committee != home.organization else "across_bodies"
        rotation = services.rotation_create(
            acting_user=None,
            member=people[2],
            kind="rotation",
            direction=direction,
            from_organization=home.committee,
            to_organization=home.organization,
            starts_on=day + timedelta(days=7),
            planned_end=day + timedelta(days=700),
            from_post="Chuyên viên",
            to_post="Phó Bí thư",
        )
        organization = {"organization": home.organization.code}
        later = (day + timedelta(days=30)).isoformat()
        return SweepObjects(
            kwargs={"pk": appointment.pk, "code": people[0].code},
            route_kwargs={
                "cadres:congress": {"pk": congress.pk},
                "cadres:congress_result": {"pk": congress.pk},
                "cadres:plan": {"pk": plan.pk},
                "cadres:plan_entry_add": {"pk": plan.pk},
                "cadres:plan_review": {"pk": plan.pk},
                "cadres:plan_entry_remove": {"pk": entry.pk},
                "cadres:plan_entry_discipline": {"pk": entry.pk},
                "cadres:rotation_end": {"pk": rotation.pk},
                "POST /appointments/{appointment_id}/end": {"appointment_id": appointment.pk},
                "POST /congresses/{congress_id}/result": {"congress_id": congress.pk},
                "GET /plans/{plan_id}": {"plan_id": plan.pk},
                "POST /plans/{plan_id}/entries": {"plan_id": plan.pk},
            },
            query={
                "cadres:list": organization,
                "cadres:secretaries": {"organization": home.committee.code},
                "GET /secretaries": {"organization": home.committee.code},
                "GET /appointments": organization,
            },
            writes={
                "POST /appointments": Write(
                    {
                        "organization_code": home.organization.code,
                        "position": "deputy_secretary",
                        "member_code": people[3].code,
                        "valid_from": later,
                    },
                    audit={"cadres.appointment": 1},
                ),
                "POST /appointments/{appointment_id}/end": Write(
                    {"day": later, "reason": "moved"}, audit={"cadres.appointment": 1}
                ),
                "POST /congresses": Write(
                    {
                        "organization_code": home.committee.code,
                        "number": 2,
                        "term_from": day.year + 5,
                        "term_to": day.year + 10,
                        "starts_on": later,
                        "ends_on": later,
                    },
                    audit={"cadres.congress": 1},
                ),
                "POST /congresses/{congress_id}/result": Write(
                    {"executive": [people[0].code, people[1].code], "secretary": people[0].code},
                    audit={"cadres.appointment": 3},
                ),
                "POST /plans/{plan_id}/entries": Write(
                    {"position": "deputy_secretary", "member_code": people[3].code, "day": later},
                    audit={"cadres.planentry": 1},
                ),
                "POST /rotations": Write(
                    {
                        "member_code": people[3].code,
                        "kind": "reassignment",
                        "direction": direction,
                        "from_organization_code": home.committee.code,
                        "to_organization_code": home.organization.code,
                        "starts_on": later,
                    },
                    audit={"cadres.rotation": 1},
                ),
            },
        )
