"""The routers of the web app.

``create_app`` includes every router in ``ROUTERS`` and, in addition, the ``router`` attribute
of every module in this package. A feature adds its pages by writing
``parley/interfaces/web/routes/<feature>.py`` with ``router = APIRouter()`` (or by appending to
``ROUTERS`` from code imported before ``create_app`` runs), templates that
``{% extends "base.html" %}``, and, for the navigation bar,
``NAV.append(NavItem(N_("Lists"), "/lists", Action.READ_LISTS))`` from
``parley.interfaces.web.deps`` (``N_`` marks the label for translation).
"""

from __future__ import annotations

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
