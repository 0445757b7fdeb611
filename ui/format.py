"""Screen formatting (re-exported from equity.formatting so pages and exports agree)."""

from equity.formatting import SUPPRESSED, count, interval, percent_interval, rate, share

__all__ = ["SUPPRESSED", "count", "interval", "percent_interval", "rate", "share"]
