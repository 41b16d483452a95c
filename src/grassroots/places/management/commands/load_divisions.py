"""``grassroots load_divisions --province 12 [--era pre2025|post2025|both] [--valid-from D]``:
load one province's administrative units (see :mod:`grassroots.places.loading`)."""

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.audit import acting_as
from grassroots.core.errors import RuleError
from grassroots.core.temporal import parse_date
from grassroots.places.loading import load_divisions

ERA_CHOICES = {"pre2025": ("pre2025",), "post2025": ("post2025",), "both": ("pre2025", "post2025")}


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính của một tỉnh (trước và/hoặc sau 1/7/2025) vào danh mục địa bàn. "
        "Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="mã tỉnh, ví dụ 12 (Lai Châu)")
        parser.add_argument("--era", choices=sorted(ERA_CHOICES), default="both")
        parser.add_argument(
            "--valid-from",
            help="ngày bắt đầu hiệu lực của cây đơn vị trước 2025 (YYYY-MM-DD); "
            "mặc định: ngày của danh mục (2025-01-04)",
        )

    def handle(self, *args, province, era, valid_from, **options):
        start = None
        if valid_from:
            start = parse_date(valid_from)
            if start is None:
                raise CommandError(f"Ngày không hợp lệ: {valid_from}")
        user = _acting_user()
        try:
            with acting_as(user):
                result = load_divisions(
                    acting_user=user, province=province, eras=ERA_CHOICES[era], valid_from=start
                )
        except RuleError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Tỉnh {province}: đã tạo {len(result.created)} địa bàn, "
            f"{result.unchanged} địa bàn đã có và không đổi, {result.lineage} biến động địa giới."
        )


def _acting_user():
    from grassroots.accounts.models import User

    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
