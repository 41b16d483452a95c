from types import ModuleType

from grassroots.core import roles
from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepHome, SweepObjects


class AccountsConfig(ModuleConfig):
    name = "grassroots.accounts"
    verbose_name = "Người dùng"
    url_prefix = "accounts/"
    # Issuing and revoking API tokens is audited; the key hash itself is not worth logging.
    audited = {"ApiToken": ("key_hash", "last_used_at")}
    # Who read or exported personal data (core.access): administrators only.
    menu = (MenuEntry("Truy cập dữ liệu cá nhân", "accounts:accesses", role=roles.ADMIN, order=95),)
    sweep = Sweep(
        public=("accounts:login", "accounts:logout"),
        reader_posts=("accounts:password_change",),
        # A signed-in user is sent on from the login page; logging out is a POST; the accesses
        # page is for administrators (the sweep's users are not).
        get_status={"accounts:login": 302, "accounts:logout": 405, "accounts:accesses": 403},
    )

    def sweep_objects(self, home: SweepHome) -> SweepObjects:
        from grassroots.accounts.services import api_token_create
        from grassroots.core.access import record_access

        api_token_create(user=home.editor, name="sweep")
        record_access(None, user=home.editor, what="Đảng viên", count=0, filter="sweep")
        return SweepObjects()

    def urls(self) -> ModuleType:
        from grassroots.accounts import urls

        return urls
