"""The catalogue of positions as data: the party posts of every organisation and the usual state
and mass-organisation posts of its place (DOMAIN.md, "Cadres"). The data migration writes it;
:func:`grassroots.cadres.services.positions_ensure` writes it again into a database emptied by
a test run (a flushed database loses the rows the migration wrote)."""

#: ``(code, name, body, committee, order)``
POSITIONS: tuple[tuple[str, str, str, str, int], ...] = (
    ("secretary", "Bí thư", "party", "standing", 1),
    ("deputy_secretary", "Phó Bí thư", "party", "standing", 2),
    ("standing_member", "Ủy viên Ban Thường vụ", "party", "standing", 3),
    ("executive_member", "Ủy viên Ban Chấp hành (cấp ủy viên)", "party", "executive", 4),
    ("inspection_chair", "Chủ nhiệm Ủy ban Kiểm tra", "party", "inspection", 5),
    ("inspection_deputy", "Phó Chủ nhiệm Ủy ban Kiểm tra", "party", "inspection", 6),
    ("inspection_member", "Ủy viên Ủy ban Kiểm tra", "party", "inspection", 7),
    ("council_chair", "Chủ tịch Hội đồng nhân dân", "state", "", 20),
    ("committee_chair", "Chủ tịch Ủy ban nhân dân", "state", "", 21),
    ("committee_deputy", "Phó Chủ tịch Ủy ban nhân dân", "state", "", 22),
    ("village_head", "Trưởng bản, tổ trưởng tổ dân phố", "state", "", 23),
    ("front_chair", "Chủ tịch Ủy ban Mặt trận Tổ quốc", "mass", "", 30),
    ("youth_secretary", "Bí thư Đoàn Thanh niên", "mass", "", 31),
    ("women_chair", "Chủ tịch Hội Liên hiệp Phụ nữ", "mass", "", 32),
    ("farmers_chair", "Chủ tịch Hội Nông dân", "mass", "", 33),
    ("veterans_chair", "Chủ tịch Hội Cựu chiến binh", "mass", "", 34),
)
