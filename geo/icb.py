"""The Integrated Care Board this dashboard covers (no imports, so any module can name it cheaply)."""

ICB_CODE = "E54000048"
ICB_NAME = "NHS Lancashire and South Cumbria ICB"
