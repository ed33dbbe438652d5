"""The app factory every service builds on, and the per-app context its views use."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any, Concatenate, ParamSpec, TypeVar

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask_smorest import Blueprint as SmorestBlueprint
from flask_wtf.csrf import CSRFProtect
from marshmallow import Schema
from sqlalchemy.orm import Session
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import CombinedMultiDict

from shared.clock import Clock, utcnow
from shared.db import Database
from shared.events.outbox import EventRecorder
from shared.events.topology import Topology, broker_connection
from shared.mail import Mailer
from shared.manifest import Manifest, resolve
from shared.municipalities import Register, load_register
from shared.problems import UnsupportedType, problem_body
from shared.settings import AUTH_DATABASE, Settings
from shared.throttle import Throttle
from shared.web.auth import install_authentication
from shared.web.errors import ProblemApi, problem_response, register_error_handlers
from shared.web.fields import refuse_nul
from shared.web.headers import secure_edges
from shared.web.logs import configure_logging, install_access_log
from shared.web.metrics import install_metrics
from shared.web.openapi import DocumentedApi

csrf = CSRFProtect()
P = ParamSpec("P")
T = TypeVar("T")


# A request id a client or the proxy in front sends is kept if it looks like one (nginx's
# $request_id is 32 hex digits, a UUID 36 characters); anything else is replaced, so the
# logs carry no text a caller chose.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# The APIs' semantic version (API Design Rules /core/uri-version, /core/version-header):
# its major in every path, the whole in the documents' info.version and in the API-Version
# header of every answer.
API_VERSION = "1.0.0"
API_PREFIX = f"/api/v{API_VERSION.split('.')[0]}"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"


@dataclass
class ServiceContext:
    """What a service's views and use cases need, built once per app."""

    name: str
    settings: Settings
    db: Database
    auth_db: Database
    register: Register
    mailer: Mailer
    recorder: EventRecorder | None
    throttle: Throttle
    clock: Clock = utcnow
    # Every consumer's queues, which only the composition root knows (gia.wsgi sets them):
    # the indicators' staff page shows what the consumers parked.
    topology: Topology | None = None


def service_context() -> ServiceContext:
    return current_app.extensions["gia"]


def now() -> datetime:
    """The service's clock: the wall clock, unless a test gave the app its own."""
    return service_context().clock()


def transact(
    use_case: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """A use case in one transaction of the service's database: committed when it returns,
    rolled back when it raises."""
    with service_context().db.transaction() as session:
        return use_case(session, *args, **kwargs)


def _health_blueprint(uses_broker: bool) -> Blueprint:
    health = Blueprint("health", __name__)

    @health.get("/health/live")
    def live() -> Any:
        return jsonify(status="pass")

    @health.get("/health/ready")
    def ready() -> Any:
        context = service_context()
        checks: dict[str, str] = {}
        try:
            context.db.ping()
            checks["database"] = "pass"
        except Exception as error:  # any failure means "not ready", reported, never raised
            checks["database"] = f"fail: {type(error).__name__}"
        if uses_broker:
            try:
                with broker_connection(context.settings, connect_timeout=2) as connection:
                    connection.ensure_connection(max_retries=1, timeout=2)
                checks["broker"] = "pass"
            except Exception as error:
                checks["broker"] = f"fail: {type(error).__name__}"
        if all(value == "pass" for value in checks.values()):
            return jsonify(status="pass", checks=checks)
        return problem_response(
            problem_body(
                503, "Service Unavailable", "A dependency is not available.", checks=checks
            )
        )

    return health


def create_service_app(manifest: Manifest, settings: Settings, clock: Clock = utcnow) -> Flask:
    """A service's app from its manifest: its API and pages on the base every service shares
    (settings, security headers and cookies, problem+json errors, CSRF, logs, metrics, health,
    login)."""
    name = manifest.name
    outbox_model = resolve(manifest.outbox) if manifest.outbox else None
    configure_logging(name, settings.log_level)
    app = Flask(f"services.{name}")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        SESSION_COOKIE_NAME="gia_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        JSON_SORT_KEYS=False,
        API_TITLE=manifest.title,
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH=OPENAPI_PATH.rsplit("/", 1)[1],
        API_SPEC_OPTIONS={
            "info": {
                # what the service is for, as its package says
                "description": import_module(manifest.package).__doc__,
                "contact": {
                    "name": "Programmabureau GIA 2012, ministerie van BZK",
                    "email": settings.contact_email,
                },
            },
            "servers": [{"url": manifest.public_url(settings), "description": manifest.title}],
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
        },
    )
    db = Database.for_service(settings, name)
    app.extensions["gia"] = ServiceContext(
        name=name,
        settings=settings,
        db=db,
        auth_db=Database.for_service(settings, AUTH_DATABASE),
        register=load_register(settings.municipalities_file),
        mailer=Mailer(settings),
        recorder=EventRecorder(outbox_model, settings.event_source(name)) if outbox_model else None,
        throttle=Throttle(settings.redis_url, settings.redis_prefix),
        clock=clock,
    )

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else str(uuid.uuid4())

    @app.after_request
    def _echo_request_id_and_version(response: Any) -> Any:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers["API-Version"] = API_VERSION
        if request.path == OPENAPI_PATH:
            # The document is public: other sites' tools (viewers, validators) may read it.
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    install_access_log(app)
    secure_edges(app, settings)
    csrf.init_app(app)
    api = DocumentedApi(app)
    register_error_handlers(app)
    install_authentication(app)
    install_metrics(app, name)
    app.register_blueprint(_health_blueprint(uses_broker=bool(manifest.consumer)))
    from shared.web.pages import pages

    app.register_blueprint(pages)
    register_api(app, api, resolve(manifest.api))
    app.register_blueprint(resolve(manifest.pages))
    return app


def register_api(app: Flask, api: ProblemApi, *blueprints: Any) -> None:
    """API blueprints authenticate with bearer tokens, so CSRF does not apply to them."""
    for blueprint in blueprints:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)


class InputParser(FlaskParser):
    """webargs' parser: invalid input is 400 (API Design Rules; webargs says 422), a body
    of another type than JSON where JSON is taken 415 (webargs would read it as no body,
    and answer that fields are missing), and text no database stores is refused before
    any schema reads it."""

    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req: Any, schema: Schema) -> Any:
        if req.mimetype and not is_json_request(req):
            raise UnsupportedType(
                f"This operation takes a JSON body (Content-Type: application/json), "
                f"not {req.mimetype}."
            )
        return super().load_json(req, schema)

    # A multipart body's fields and files read as one, so that one schema takes (and one
    # request body documents) both.
    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req: Any, schema: Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)

    def pre_load(
        self, location_data: Mapping[str, Any], *, schema: Schema, req: Any, location: str
    ) -> Mapping[str, Any]:
        return refuse_nul(location_data)


class ApiBlueprint(SmorestBlueprint):
    """A service's API: flask-smorest's blueprint, parsing input with ``InputParser``."""

    ARGUMENTS_PARSER = InputParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }
