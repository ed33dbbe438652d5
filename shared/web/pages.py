"""The pages every service has: the shared layout, login and logout, the statements (privacy,
accessibility, contact) and the favicon; and the filters that write numbers and dates in Dutch."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, redirect, render_template, request, send_from_directory, url_for
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from shared.auth.accounts import Account, authenticate, end_sessions, normalise_email
from shared.clock import amsterdam
from shared.municipalities import REGIONS
from shared.problems import TooManyRequests
from shared.themes import THEME_LABELS
from shared.web.auth import forget, remember, safe_next, session_principal
from shared.web.formats import long_date, number, percentage
from shared.web.forms import Feedback, posted
from shared.web.municipality_input import (
    choice_name,
    municipality_suggestions,
    typed_municipality,
)

pages = Blueprint(
    "gia",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/gia",
)

# What the municipality input of gia/_form.html shows.
for _global in (typed_municipality, municipality_suggestions, choice_name):
    pages.add_app_template_global(_global)


# A page URL: the rule, its view and the methods it answers ("GET", "POST" or "GET POST").
Rule = tuple[str, Callable[..., Any], str]


def add_rules(blueprint: Blueprint, rules: Iterable[Rule]) -> None:
    """A service's page URLs as one table, where they can all be read in one place; each
    endpoint is named after its view."""
    for rule, view, methods in rules:
        blueprint.add_url_rule(rule, view.__name__, view, methods=methods.split())


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul uw e-mailadres in."),
            Length(max=254, message="Een e-mailadres telt hoogstens 254 tekens."),
        ],
    )
    password = PasswordField(
        "Wachtwoord",
        validators=[
            DataRequired("Vul uw wachtwoord in."),
            Length(max=200, message="Een wachtwoord telt hoogstens 200 tekens."),
        ],
    )


@pages.app_context_processor
def _page_context() -> dict[str, Any]:
    """What every service's pages and shared form parts read; a service adds its own labels.

    ``values`` and ``feedback`` are what a form shows: as posted, and no complaints.
    """
    from shared.web.service import service_context

    context = service_context()
    return {
        "principal": session_principal(),
        "THEMES": THEME_LABELS,
        "REGIONS": {region: region for region in REGIONS},
        "municipalities": context.register,
        "amsterdam": amsterdam,
        "values": posted(),
        "feedback": Feedback(),
        "contact_email": context.settings.contact_email,
        "privacy_contact": context.settings.privacy_contact,
    }


for _filter in (number, percentage, long_date):
    pages.add_app_template_filter(_filter)


@pages.get("/privacy")
def privacy() -> str:
    """What each service keeps, why and how long, and the rights of whom it is about."""
    from shared.web.service import service_context

    settings = service_context().settings
    guide_days = settings.per_service("guide", "RETENTION_DAYS") or "365"
    return render_template("gia/privacy.html", settings=settings, guide_days=guide_days)


@pages.get("/toegankelijkheid")
def accessibility() -> str:
    return render_template("gia/accessibility.html")


@pages.get("/contact")
def contact() -> str:
    return render_template("gia/contact.html")


@pages.get("/favicon.ico")
def favicon() -> Any:
    """Browsers ask every site for this path, whatever the page links; answer it."""
    return send_from_directory(pages.static_folder or "", "favicon.ico")


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        try:
            account = _log_in(form.email.data or "", form.password.data or "")
        except TooManyRequests as refused:
            page = render_template("gia/login.html", form=form, wait=_minutes(refused.retry_after))
            return page, 429, {"Retry-After": str(refused.retry_after)}
        if account is not None:
            return redirect(safe_next(request.args.get("next"), default=_home(account)))
        failed = True
    status = 401 if failed else 400 if form.errors else 200
    return render_template("gia/login.html", form=form, failed=failed), status


def _log_in(email: str, password: str) -> Account | None:
    """The account, logged in, if the password is right and neither the account nor the
    client's address has failed too often lately; while either has, not even the right
    password is checked. Only failures count."""
    from shared.web.service import service_context

    context = service_context()
    settings = context.settings
    keys = [
        (settings.login_limit_account, "login-account", normalise_email(email)),
        (settings.login_limit_address, "login-address", request.remote_addr or "unknown"),
    ]
    throttle = context.throttle
    if wait := max(throttle.wait(rule, *key) for rule, *key in keys):
        raise TooManyRequests("Too many failed logins.", retry_after=wait)
    with context.auth_db.transaction() as session:
        account = authenticate(session, email, password)
    if account is not None:
        remember(account)
        return account
    if wait := max(throttle.hit(rule, *key) for rule, *key in keys):
        raise TooManyRequests("Too many failed logins.", retry_after=wait)
    return None


def _home(account: Account) -> str:
    """Where someone who opened the login page itself starts: staff at their work, ``/beheer``
    in every service; others on the service's first page, as before."""
    return "/beheer" if account.role == "staff" else "/"


def _minutes(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"


@pages.post("/logout")
def logout() -> Any:
    forget()
    return redirect(url_for("gia.login"))


@pages.post("/logout/everywhere")
def logout_everywhere() -> Any:
    """Ends every session of the logged-in account, on every device, this one too."""
    from shared.web.service import service_context

    principal = session_principal()
    if principal is not None:
        with service_context().auth_db.transaction() as session:
            end_sessions(session, principal.subject)
    forget()
    return redirect(url_for("gia.login"))
