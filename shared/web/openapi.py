"""What every service's OpenAPI document holds beyond what flask-smorest writes by itself
(API Design Rules /core/doc-openapi): an ``operationId`` on every operation, and no
components that no operation uses."""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from werkzeug.routing import Rule

from shared.web.errors import ProblemApi


def operation_id(endpoint: str) -> str:
    """The view's name in camelCase (``guide_api.add_edition`` gives ``addEdition``): stable
    while the view keeps its name, and unique in a document as a blueprint's view names are."""
    first, *rest = endpoint.rpartition(".")[2].split("_")
    return first + "".join(word.capitalize() for word in rest)


class OperationIds(BasePlugin):
    """Gives each operation the ``operationId`` of its view, unless the view set its own
    (``@api.doc(operationId=...)``)."""

    def operation_helper(
        self,
        path: str | None = None,
        operations: dict[str, Any] | None = None,
        *,
        rule: Rule,
        **_: Any,
    ) -> None:
        for operation in (operations or {}).values():
            operation.setdefault("operationId", operation_id(rule.endpoint))


class DocumentedApi(ProblemApi):
    """The services' Api: operation ids in their documents, and no pagination header (and
    with it its schema), which no operation sends."""

    def __init__(self, app: Any) -> None:
        super().__init__(app, spec_kwargs={"extra_plugins": [OperationIds()]})

    def _register_pagination_header(self) -> None:
        pass
