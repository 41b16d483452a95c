"""The demo's news page (called by :func:`grassroots.demo.build.build_demo`): the seed article
(``/work/shared/seed/``, "Chú trọng công tác tổ chức xây dựng Đảng", marked as a sample) in the
section of Đảng bộ huyện Nậm Nhùn, its three figures quoted from the district's sent reports
(:mod:`grassroots.demo.reports`: "20/70", "69/69", "1.023"), and the four related articles the
seed lists under it. No comments: the seed shows "Hiện tại chưa có bình luận"."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from grassroots.news import services
from grassroots.news.models import ArticlePage, slug_for
from grassroots.organizations.models import Organization
from grassroots.reports.models import Submission

DISTRICT = "DB-112"
SAMPLE_AUTHOR = "Nguyễn Tùng"

P1 = (
    "Tháng 6/2013, khi Nậm Nhùn mới được chia tách, thành lập, toàn huyện còn",
    "bản chưa có chi bộ, trong đó 6/70 bản chưa có đảng viên; 11/32 trường học chưa đủ đảng viên "
    "để thành lập chi bộ, 8/11 trạm y tế chưa có chi bộ. Kinh tế ở điểm xuất phát thấp, tỷ lệ hộ "
    "nghèo cao. Hệ thống chính trị ở cơ sở có mặt chưa đáp ứng được yêu cầu trong tình hình mới.",
)
P2 = (
    "Trước những khó khăn ban đầu của công tác xây dựng Đảng, Đảng bộ huyện không ngừng nỗ lực, đề ra "
    "các giải pháp đồng bộ. Trong đó chú trọng các mặt của công tác xây dựng Đảng gồm: xây dựng Đảng "
    "về chính trị, tư tưởng, tổ chức và đạo đức. Trong xây dựng Đảng về chính trị, Huyện ủy ban hành "
    "các chương trình hành động, đề án, kế hoạch nhằm tập trung lãnh, chỉ đạo thực hiện hiệu quả. "
    "Tiêu biểu như: các đề án về xây dựng và củng cố hệ thống chính trị tại các xã đặc biệt khó khăn: "
    "Nậm Manh, Nậm Ban, Nậm Pì; Chương trình hành động số 11-CTr/HU của Ban Chấp hành Đảng bộ huyện "
    "khóa II thực hiện Nghị quyết số 07-NQ/TU của Ban Chấp hành Đảng bộ tỉnh Lai Châu khóa XIII về "
    "nâng cao chất lượng và hiệu quả hoạt động của hệ thống chính trị ở cơ sở giai đoạn 2016-2020; "
    "Đề án số 01-ĐA/HU của Ban Chấp hành Đảng bộ huyện về xây dựng hệ thống chính trị ở cơ sở… Và "
    "tại Đại hội lần thứ III, nhiệm kỳ 2020-2025, Đảng bộ huyện đã xác định: nâng cao chất lượng hoạt "
    "động của hệ thống chính trị ở cơ sở là một trong hai chương trình trọng điểm của nhiệm kỳ."
)
CAPTION = "Ban Chấp hành Đảng bộ huyện Nậm Nhùn họp bàn về công tác tổ chức xây dựng Đảng."
P3 = (
    "Theo đó, Đảng bộ huyện tập trung xây dựng Đảng về tư tưởng, coi trọng việc giáo dục chính trị, "
    "tư tưởng cho cán bộ, đảng viên; đổi mới và nâng cao chất lượng hoạt động tuyên truyền, quán "
    "triệt, học tập các chỉ thị, nghị quyết của Đảng. Đẩy mạnh triển khai học tập và làm theo tư "
    "tưởng, đạo đức, phong cách Hồ Chí Minh theo tinh thần Chỉ thị 05-CT/TW của Bộ Chính trị gắn với "
    "thực hiện Nghị quyết Trung ương 4 (khóa XII) về xây dựng Đảng. Ngăn chặn, đẩy lùi sự suy thoái "
    "về tư tưởng chính trị, đạo đức, lối sống, những biểu hiện “tự diễn biến”, “tự chuyển hóa” "
    "trong nội bộ. Công tác kiểm tra, giám sát việc thực hiện các chỉ thị, nghị quyết của cấp trên "
    "được quan tâm thực hiện thường xuyên."
)
P4 = (
    "Trong xây dựng Đảng về tổ chức, công tác phát triển đảng viên được chú trọng. Nghị quyết Đại "
    "hội Đảng bộ huyện lần thứ III, nhiệm kỳ 2020-2025 đề ra mục tiêu hàng năm kết nạp được 60 đảng "
    "viên trở lên. Ưu tiên phát triển lực lượng trẻ, đảng viên là người tại chỗ. Quan tâm tới công "
    "tác đào tạo, quy hoạch cán bộ trước mắt và lâu dài. Công tác quy hoạch cán bộ cơ sở được quan "
    "tâm thực hiện, chất lượng từng bước được nâng lên; tỷ lệ cán bộ nữ, cán bộ trẻ, cán bộ người "
    "dân tộc thiểu số đạt tỷ lệ cao trong các cơ quan, đơn vị. Cán bộ, công chức được luân chuyển, "
    "điều động từ huyện về cơ sở đã phát huy năng lực, sở trường công tác, hoàn thành tốt nhiệm vụ "
    "được giao. Công tác kiểm tra, giám sát đảm bảo thực hiện theo chương trình toàn khóa và hằng "
    "năm. Trong xây dựng Đảng về đạo đức, mỗi cán bộ, đảng viên trong toàn Đảng bộ gương mẫu trong "
    "lối sống, thực sự “cần, kiệm, liêm, chính, chí công vô tư”, luôn đặt lợi ích của Đảng, của "
    "nhân dân lên trên lợi ích cá nhân; tích cực phòng, chống quan liêu, tham nhũng, lãng phí, có "
    "hình thức khen thưởng, biểu dương những cán bộ, đảng viên có tinh thần trách nhiệm cao trong "
    "công tác xây dựng Đảng."
)
P5 = (
    "Nhờ thực hiện tốt công tác xây dựng Đảng, đến nay, 100% các trường học, trạm y tế,",
    "bản đã thành lập chi bộ và duy trì nền nếp hoạt động; không còn tình trạng chi bộ “trắng” "
    "đảng viên và “trắng” tổ chức Đảng.",
)
P6 = (
    "Từ khi thành lập đến nay, Đảng bộ huyện đã kết nạp được",
    "quần chúng vào Đảng. Sau nửa nhiệm kỳ 2020-2025, đã có 20/30 chỉ tiêu thành phần đạt và vượt "
    "Nghị quyết Đại hội Đảng bộ huyện lần thứ III, trong đó có một số chỉ tiêu vượt cao như: Tổng "
    "sản lượng lương thực vượt 5,4%; trồng mới rừng vượt 191,1%; tỷ lệ giảm hộ nghèo vượt 121,1%; "
    "đào tạo nghề cho lao động vượt 158,3%; giải quyết việc làm mới vượt 271,3%; tổ chức Đảng hoàn "
    "thành tốt nhiệm vụ trở lên vượt 13,5%...",
)
P7 = (
    "Tuy nhiên, công tác xây dựng Đảng ở huyện cũng còn có những tồn tại, hạn chế như: chất lượng, "
    "năng lực của một số đồng chí bí thư chi bộ ở bản, tổ dân phố còn thấp; các phong trào của các "
    "đoàn thể chưa thực sự đi sâu vào đoàn viên, thanh niên dẫn đến việc phát hiện nguồn để bồi "
    "dưỡng, kết nạp Đảng ở một số nơi gặp khó khăn."
)
P8 = (
    "Đồng chí Lù Văn Quân - Phó Bí thư Thường trực Huyện ủy Nậm Nhùn cho biết: Để tiếp tục làm tốt "
    "công tác xây dựng Đảng, xây dựng hệ thống chính trị huyện từ nay đến năm 2025, Ban Thường vụ "
    "Huyện ủy tập trung lãnh đạo, bám sát Đề án số 01-ĐA/HU của Huyện ủy và các kế hoạch của Ban "
    "Chấp hành Đảng bộ huyện về nâng cao chất lượng và hiệu quả hoạt động của hệ thống chính trị ở "
    "cơ sở; tăng cường quán triệt, triển khai các nghị quyết, chỉ thị, kế hoạch của Tỉnh ủy, Huyện "
    "ủy về công tác xây dựng Đảng nhằm nâng cao nhận thức, trách nhiệm của các cấp ủy, tổ chức Đảng "
    "trong toàn huyện. Quan tâm công tác phát triển đảng viên, nhất là ở vùng nông thôn, vùng sâu, "
    "vùng xa, vùng biên giới, nơi có ít đảng viên."
)
P9 = (
    "Tin rằng với nhiều giải pháp, công tác xây dựng Đảng ở huyện biên giới Nậm Nhùn sẽ còn đạt được "
    "nhiều thành quả hơn nữa, góp phần xây dựng Đảng bộ huyện trong sạch, vững mạnh, đồng thời thúc "
    "đẩy huyện phát triển về mọi mặt."
)
SEED_TITLE = "Chú trọng công tác tổ chức xây dựng Đảng"
SEED_KICKER = "Đảng bộ huyện Nậm Nhùn:"
SEED_LEAD = (
    "Đảng bộ huyện Nậm Nhùn luôn quan tâm lãnh, chỉ đạo thực hiện tốt công tác tổ chức xây dựng "
    "Đảng, từng bước nâng cao chất lượng, hiệu quả hoạt động của hệ thống chính trị từ huyện đến cơ "
    "sở. Vai trò lãnh đạo của Đảng, quản lý của chính quyền các cấp được khẳng định rõ nét trên tất "
    "cả các lĩnh vực của đời sống xã hội."
)
SEED_TIME = (2023, 11, 23, 19, 55)

#: The four related articles under the seed: title, lead (as the seed shows it), tags, time.
RELATED = (
    (
        "Đẩy lùi tình trạng tảo hôn và hôn nhân cận huyết thống",
        "Thời gian qua, mặc dù tình trạng tảo hôn trong vùng đồng bào dân tộc thiểu số trên địa bàn "
        "huyện Sìn Hồ có chiều hướng giảm. Tuy nhiên, việc đẩy lùi những phong tục tập quán lạc hậu "
        "nói chung,...",
        ("đời sống",),
        (2023, 11, 23, 16, 10),
    ),
    (
        "Khó kiểm soát giết mổ gia súc",
        "Kiểm soát giết mổ gia súc là khâu quan trọng trong việc bảo đảm an toàn vệ sinh thực phẩm. "
        "Tuy nhiên, thực trạng giết mổ gia súc nhỏ, lẻ và phân tán vì chưa có cơ sở giết mổ tập "
        "trung đã và đang...",
        ("đời sống",),
        (2023, 11, 23, 9, 30),
    ),
    (
        "Tấm gương tiêu biểu học tập và làm theo lời Bác",
        "Gương mẫu, nhiệt tình, năng nổ trong mọi công việc và đi đầu trong phong trào phát triển "
        "kinh tế, xóa đói giảm nghèo của địa phương - đó là đánh giá của lãnh đạo Đảng ủy xã Nậm "
        "Hàng (huyện Nậm...",
        ("xây dựng Đảng",),
        (2023, 11, 22, 15, 0),
    ),
    (
        "Chiêu trò lừa đảo “việc nhẹ lương cao” vẫn tiếp diễn",
        "Chiêu trò mời chào, tuyển cộng tác viên làm việc online nhưng thực chất là yêu cầu nạn nhân "
        "chuyển khoản để thực hiện nhiệm vụ rồi lừa đảo vẫn tái diễn.",
        ("pháp luật",),
        (2023, 11, 22, 8, 45),
    ),
)


def _at(parts: tuple[int, ...]) -> datetime:
    return timezone.make_aware(datetime(*parts))  # type: ignore[arg-type]


def _sample_photo() -> Any:
    """A plain drawn picture standing for the seed's photo (the original is not ours)."""
    picture = PILImage.new("RGB", (1200, 800), (176, 32, 28))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((80, 420, 1120, 720), fill=(235, 225, 210))
    for x in range(140, 1100, 120):
        draw.ellipse((x, 300, x + 80, 380), fill=(60, 60, 60))
        draw.rectangle((x + 10, 380, x + 70, 470), fill=(60, 60, 60))
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=70)
    return get_image_model().objects.create(
        title="Ảnh minh họa (mẫu)", file=ImageFile(data, name="hop-ban-mau.jpg")
    )


def _sent(figure: str, **params: str) -> Submission:
    found = Submission.objects.filter(organization_code=DISTRICT, figure=figure)
    return next(
        s for s in found.order_by("pk") if all(s.params.get(k) == v for k, v in params.items())
    )


def _publish(section: Any, **fields: Any) -> ArticlePage:
    article = section.add_child(
        instance=ArticlePage(slug=slug_for(fields["title"]), is_sample=True, **fields)
    )
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    return article


def build_news(*, acting_user: Any) -> ArticlePage:
    """The news site, the district's section and the sample articles; returns the seed."""
    district = Organization.objects.get(code=DISTRICT)
    section = services.section_ensure(
        organization=district, title="Huyện Nậm Nhùn", slug="nam-nhun", intro="Tin bài mẫu."
    )
    founded = _sent("coverage", as_of="2013-06-30")
    now = _sent("coverage", as_of="2023-11-23")
    admissions = _sent("admissions")
    without_cell = services.figure_quote(
        acting_user=acting_user,
        submission_id=founded.pk,
        path="places.village.without_cell",
        of_path="places.village.total",
        label="Bản chưa có chi bộ trên tổng số bản",
    )
    with_cell = services.figure_quote(
        acting_user=acting_user,
        submission_id=now.pk,
        path="places.village.total",
        without_path="places.village.without_cell",
        of_path="places.village.total",
        label="Bản đã có chi bộ trên tổng số bản",
    )
    admitted = services.figure_quote(
        acting_user=acting_user,
        submission_id=admissions.pk,
        path="admitted",
        label="Quần chúng được kết nạp vào Đảng",
    )
    related = [
        _publish(section, title=title, lead=lead, author=SAMPLE_AUTHOR, published_at=_at(when))
        for title, lead, _tags, when in RELATED
    ]
    for article, (_title, _lead, tags, _when) in zip(related, RELATED, strict=True):
        article.tags.add(*tags)
        article.save_revision().publish()

    def paragraph(text: str) -> tuple[str, RichText]:
        return ("paragraph", RichText(f"<p>{text}</p>"))

    def quote(parts: tuple[str, str], figure: Any) -> tuple[str, dict[str, Any]]:
        return ("figure", {"before": parts[0], "figure": figure, "after": parts[1]})

    seed = _publish(
        section,
        title=SEED_TITLE,
        kicker=SEED_KICKER,
        lead=SEED_LEAD,
        author=SAMPLE_AUTHOR,
        published_at=_at(SEED_TIME),
        body=[
            quote(P1, without_cell),
            paragraph(P2),
            ("image", {"image": _sample_photo(), "caption": CAPTION}),
            paragraph(P3),
            paragraph(P4),
            quote(P5, with_cell),
            quote(P6, admitted),
            paragraph(P7),
            paragraph(P8),
            paragraph(P9),
        ],
    )
    seed.tags.add("xây dựng Đảng", "đời sống")
    seed.save_revision().publish()
    return seed
