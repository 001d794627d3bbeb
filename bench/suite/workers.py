"""The worker side: one process per step, Django set up on the database of DANGVU_DATABASE_URL."""

from __future__ import annotations

import json
import os
import sys

from .database import w_migrate, w_synth, w_vacuum
from .imports import w_import, w_import_memory
from .member_list import w_list
from .reports import w_assessment, w_reports
from .search import w_search
from .settings import MARK
from .snapshot import w_snapshot
from .workbooks import w_workbooks


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("vi")


WORKERS = {"migrate": w_migrate, "synth": w_synth, "vacuum": w_vacuum, "snapshot": w_snapshot, "search": w_search,
           "assessment": w_assessment, "reports": w_reports, "list": w_list, "workbooks": w_workbooks, "import": w_import, "import_memory": w_import_memory}


def worker_main(step: str, args: dict) -> None:
    _django()
    result = WORKERS[step](args)
    sys.stdout.write(MARK + json.dumps(result, default=str) + "\n")
