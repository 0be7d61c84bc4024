"""The web app and JSON API: FastAPI, server-rendered Jinja2 pages with htmx. No business rules
here: routes call services and render what they return."""
