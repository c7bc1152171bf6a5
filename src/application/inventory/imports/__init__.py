"""The opening-stock import (CSV/XLSX, #10): upload → check (the dry run) → commit, as
jobs, on the catalog import's machinery (``TableFiles``, ``RowError``, the error report,
``application.shared.job_steps``)."""
