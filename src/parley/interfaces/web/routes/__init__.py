"""The routers of the web app.

``create_app`` includes the ``router`` attribute of every module in this package. A feature
adds its pages by writing ``parley/interfaces/web/routes/<feature>.py`` with
``router = APIRouter()``, templates that
``{% extends "base.html" %}``, and, for the navigation bar,
``NAV.append(NavItem(N_("Lists"), "/lists", Action.READ_LISTS))`` from
``parley.interfaces.web.deps`` (``N_`` marks the label for translation).
"""
