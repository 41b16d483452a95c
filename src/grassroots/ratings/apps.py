from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write


class RatingsConfig(ModuleConfig):
    name = "grassroots.ratings"
    verbose_name = "Đánh giá, xếp loại chất lượng"
    url_prefix = "ratings/"
    api_prefix = "/ratings"
    tracked = True
    # Re-rating updates the row; auditlog keeps every old and new value (the history).
    audited = {"Rating": ("updated_at", "version")}
    menu = (MenuEntry("Xếp loại", "ratings:list", order=60),)
    sweep = Sweep(forms=("ratings:create", "ratings:upload", "ratings:grid"))

    def urls(self):
        from grassroots.ratings import urls

        return urls

    def api_router(self):
        from grassroots.ratings.api import router

        return router

    def sweep_objects(self, home):
        from grassroots.ratings.services import rating_record

        year = str(home.day.year)
        rating, _ = rating_record(
            acting_user=None,
            period_kind="year",
            period_label=year,
            organization=home.organization,
            level="good",
        )
        by_organization = {"organization": home.committee.code}
        return SweepObjects(
            kwargs={"pk": rating.pk, "rating_id": rating.pk},
            query={
                "ratings:list": {"organization": home.organization.code},
                "ratings:figures": by_organization,
                "ratings:grid": {"organization": home.organization.code, "year": year},
                "GET /": {"organization": home.organization.code},
                "GET /figures": by_organization,
            },
            writes={
                "ratings:create": Write(
                    {
                        "period_kind": "year",
                        "period_label": str(home.day.year + 2),
                        "subject": "organization",
                        "code": home.organization.code,
                        "level": "good",
                    },
                    audit={"ratings.rating": 1},
                ),
                "POST /": Write(
                    {
                        "period": "year",
                        "period_label": str(home.day.year + 1),
                        "subject": "organization",
                        "code": home.organization.code,
                        "level": "excellent",
                    },
                    audit={"ratings.rating": 1},
                ),
            },
        )
