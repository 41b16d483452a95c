from grassroots.core.registry import ModuleConfig, Mount, Sweep


class NewsConfig(ModuleConfig):
    name = "grassroots.news"
    verbose_name = "Tin tức"
    url_prefix = "tin-tuc/"
    # Moderation of readers' comments (the status, who and when); pages are logged by Wagtail.
    audited = {"ReaderComment": ("address_key",)}
    sweep = Sweep(
        public=(
            "news:search",
            "news:comment",
            "news:feed",
            "news:sitemap",
            "news:definitions",
            "news:rendition",
        ),
        get_status={"news:comment": 405, "news:rendition": 404},
    )

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from grassroots.news import signals

        user_logged_in.connect(signals.sync_news_access, dispatch_uid="news_access_sync")

    def urls(self):
        from grassroots.news import urls

        return urls

    def mounts(self):
        from grassroots.news.mounts import ADMIN_URLS, PAGE_URLS

        return (
            Mount(
                "cms/",
                ADMIN_URLS,
                public=False,
                why="Wagtail's admin: its own login and the access_admin permission, then page "
                "permissions per section (news.services)",
            ),
            Mount(
                "tin-tuc/",
                PAGE_URLS,
                public=True,
                why="the published news pages; drafts and previews only in the admin",
            ),
        )

    def sweep_objects(self, home):
        from grassroots.news import sweepdata

        return sweepdata.build(home)
