"""The mandate registry in the browser and out of it (issue 16): the registry with facets, a page
per mandate with its statuses report by report, the matrix of mandates by reports, the forward
schedule (``views``), their JSON and CSV, and the ``habitat-kg mandates`` export (``command``:
CSV, JSON or a formatted XLSX workbook, ``workbook``)."""

from __future__ import annotations

from habitat_kg.server.mandates.views import blueprint

__all__ = ["blueprint"]
