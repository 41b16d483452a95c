from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects


class PlacesConfig(ModuleConfig):
    name = "grassroots.places"
    verbose_name = "Địa bàn"
    url_prefix = "places/"
    api_prefix = "/places"
    tracked = True
    audited = {"Place": (), "PlaceVersion": ("name_folded",), "PlaceLineage": ()}
    menu = (MenuEntry("Địa bàn", "places:tree", order=40),)
    sweep = Sweep(
        forms=(
            "places:create",
            "places:merge",
            "places:change",
            "places:end",
            "places:delete",
            "places:split",
        ),
        unbuilt={
            "PlaceLineage": "written only by a split or merge, which the page tests cover",
        },
    )

    def urls(self):
        from grassroots.places import urls

        return urls

    def api_router(self):
        from grassroots.places.api import router

        return router

    def sweep_objects(self, home):
        # The home's village is the app's object; the sweep world builds it.
        return SweepObjects(
            kwargs={"code": home.place.code},
            query={
                "GET /": {"parent": home.place.code},
                # Forms that start from a place chosen in the link.
                "places:create": {"parent": home.place.code},
                "places:merge": {"into": home.place.code},
            },
        )
