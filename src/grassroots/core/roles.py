"""Roles are Django groups with these names; each role implies the ones before it in ROLES."""

VIEWER = "viewer"
EDITOR = "editor"
INSPECTOR = "inspector"
ADMIN = "admin"

ROLES = {
    VIEWER: "Xem",
    EDITOR: "Cập nhật",
    INSPECTOR: "Kiểm tra",
    ADMIN: "Quản trị",
}
