"""The pages every service has: the shared layout, login and logout."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from shared.auth.accounts import authenticate
from shared.clock import amsterdam
from shared.municipalities import REGIONS
from shared.themes import THEME_LABELS
from shared.web.auth import remember, safe_next, session_principal
from shared.web.forms import Feedback, posted

pages = Blueprint(
    "gia",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/gia",
)


# A page URL: the rule, its view and the methods it answers ("GET", "POST" or "GET POST").
Rule = tuple[str, Callable[..., Any], str]


def add_rules(blueprint: Blueprint, rules: Iterable[Rule]) -> None:
    """A service's page URLs as one table, where they can all be read in one place; each
    endpoint is named after its view."""
    for rule, view, methods in rules:
        blueprint.add_url_rule(rule, view.__name__, view, methods=methods.split())


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(), Length(max=200)])


@pages.app_context_processor
def _page_context() -> dict[str, Any]:
    """What every service's pages and shared form parts read; a service adds its own labels.

    ``values`` and ``feedback`` are what a form shows: as posted, and no complaints.
    """
    from shared.web.service import service_context

    return {
        "principal": session_principal(),
        "THEMES": THEME_LABELS,
        "REGIONS": {region: region for region in REGIONS},
        "municipalities": service_context().register,
        "amsterdam": amsterdam,
        "values": posted(),
        "feedback": Feedback(),
    }


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    from shared.web.service import service_context

    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        with service_context().auth_db.transaction() as session:
            principal = authenticate(session, form.email.data or "", form.password.data or "")
        if principal is not None:
            remember(principal)
            return redirect(safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else 400 if form.errors else 200
    return render_template("gia/login.html", form=form, failed=failed), status


@pages.post("/logout")
def logout() -> Any:
    from flask import session

    session.clear()
    return redirect(url_for("gia.login"))
