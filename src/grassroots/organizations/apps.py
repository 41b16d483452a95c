from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects


class OrganizationsConfig(ModuleConfig):
    name = "grassroots.organizations"
    verbose_name = "Tổ chức đảng"
    url_prefix = "organizations/"
    api_prefix = "/organizations"
    tracked = True
    audited = {
        "Organization": (),
        "OrganizationVersion": ("name_folded",),
        "OrganizationLineage": (),
    }
    menu = (MenuEntry("Tổ chức đảng", "organizations:tree", order=20),)
    sweep = Sweep(
        forms=(
            "organizations:create",
            "organizations:restructure",
            "organizations:change",
            "organizations:dissolve",
            "organizations:delete",
        ),
        unbuilt={
            "OrganizationLineage": "written only by a merge or split, which the page tests cover",
        },
    )

    def urls(self):
        from grassroots.organizations import urls

        return urls

    def api_router(self):
        from grassroots.organizations.api import router

        return router

    def panels(self, kind):
        from grassroots.organizations.hooks import PlaceOrganizationsPanel

        return (PlaceOrganizationsPanel(),) if kind == "place" else ()

    def sweep_objects(self, home):
        # The home's cell is the app's object; the sweep world builds it.
        return SweepObjects(
            kwargs={"code": home.organization.code},
            query={
                "GET /": {"parent": home.organization.code},
                # The form that starts from a parent chosen in the link.
                "organizations:create": {"parent": home.organization.code},
            },
        )
