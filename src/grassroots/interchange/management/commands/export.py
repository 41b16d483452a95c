"""``grassroots export --org CODE PATH``: write an organisation's data in the interchange format."""

from django.core.management.base import BaseCommand, CommandError

from grassroots.interchange.exporter import export_organization
from grassroots.organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Xuất dữ liệu của một tổ chức đảng (mọi tổ chức từng trực thuộc, địa bàn, đảng viên và "
        "lịch sử của họ) theo định dạng trao đổi: thư mục, .zip hoặc .xlsx theo đuôi của PATH."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
        parser.add_argument("path", help="thư mục, tệp .zip hoặc .xlsx")

    def handle(self, *args, org, path, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức đảng mã '{org}'.")
        tables = export_organization(organization, path)
        for name, (_columns, rows) in tables.items():
            self.stderr.write(f"{name}: {len(rows)} dòng")
        self.stdout.write(path)
