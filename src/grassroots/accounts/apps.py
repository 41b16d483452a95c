from types import ModuleType

from grassroots.core.registry import ModuleConfig, Sweep, SweepHome, SweepObjects


class AccountsConfig(ModuleConfig):
    name = "grassroots.accounts"
    verbose_name = "Người dùng"
    url_prefix = "accounts/"
    # Issuing and revoking API tokens is audited; the key hash itself is not worth logging.
    audited = {"ApiToken": ("key_hash", "last_used_at")}
    sweep = Sweep(
        public=("accounts:login", "accounts:logout"),
        reader_posts=("accounts:password_change",),
        # A signed-in user is sent on from the login page; logging out is a POST.
        get_status={"accounts:login": 302, "accounts:logout": 405},
    )

    def sweep_objects(self, home: SweepHome) -> SweepObjects:
        from grassroots.accounts.services import api_token_create

        api_token_create(user=home.editor, name="sweep")
        return SweepObjects()

    def urls(self) -> ModuleType:
        from grassroots.accounts import urls

        return urls
