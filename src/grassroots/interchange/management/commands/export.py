"""``grassroots export --org CODE PATH``: write an organisation's data in the interchange format."""

from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.models import User
from grassroots.core.access import Action, record_access
from grassroots.interchange.exporter import export_organization, exported_members
from grassroots.organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Xuất dữ liệu của một tổ chức đảng (mọi tổ chức từng trực thuộc, địa bàn, đảng viên và "
        "lịch sử của họ) theo định dạng trao đổi: thư mục, .zip hoặc .xlsx theo đuôi của PATH."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
        parser.add_argument("path", help="thư mục, tệp .zip hoặc .xlsx")
        parser.add_argument(
            "--user",
            help="tên đăng nhập của người xuất (ghi vào nhật ký truy cập dữ liệu cá nhân; "
            "mặc định: người dùng và máy của hệ điều hành)",
        )

    def handle(self, *args, org, path, user=None, **options):
        acting_user = None
        if user:
            acting_user = User.objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"Không có người dùng '{user}'.")
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức đảng mã '{org}'.")
        tables = export_organization(organization, path)
        record_access(
            None,
            user=acting_user,
            what=f"Gói dữ liệu trao đổi: {path}",
            count=exported_members(tables),
            subject=organization.code,
            filter=f"org={org}",
            action=Action.EXPORT,
        )
        for name, (_columns, rows) in tables.items():
            self.stderr.write(f"{name}: {len(rows)} dòng")
        self.stdout.write(path)
