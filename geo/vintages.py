"""The deprivation vintages the project knows, defined once (equity.settings re-exports them): IMD 2025 on
LSOA 2021 (the default, first) and IMD 2019 on LSOA 2011."""

VINTAGES: tuple[int, ...] = (2025, 2019)
