"""Property-based fuzzing of the whole API against its own OpenAPI schema
(Schemathesis), as a provincial administrator and as a school. Every generated request must get
an answer that is not a 5xx and conforms to the schema: a documented status, the documented content
type and a body of the documented shape. Bounded: FUZZ_EXAMPLES cases per operation and identity
(about 1,000 requests in all), so CI stays within its budget; PORTAL_FUZZ_EXAMPLES raises it."""

import json
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from portal.accounts.tokens import issue
from portal.orgs.choices import Role

FUZZ_EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_dict(_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def keep_connection():
    """Schemathesis drives the WSGI handler directly, which closes the database connection at the end
    of each request; inside the test's transaction that would end it. Django's own test client
    disconnects the same handler for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def identities(calls, tree, role_users, submitted, school_user, panel, keep_connection):
    """Rows for the generated ids to land on: calls, a submitted application, a panel."""
    submitted(school_user, calls.guangxi)
    return {"province": role_users[Role.PROVINCE_ADMIN], "school": school_user}


STATS: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_statuses():
    """The statuses the fuzzing saw, for the record (tests/artifacts/api_fuzz_<worker>.json)."""
    yield
    if STATS:
        from tests.conftest import ARTIFACTS

        os.makedirs(ARTIFACTS, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(os.path.join(ARTIFACTS, f"api_fuzz_{worker}.json"), "w") as out:
            json.dump({"requests": sum(STATS.values()), "statuses": dict(sorted(STATS.items()))}, out)


@pytest.mark.parametrize("who", ["province", "school"])
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_to_its_schema(case, who, identities):
    _, key = issue(identities[who])  # a fresh token each time: a generated DELETE may revoke one
    response = case.call(headers={"Authorization": f"Token {key}"})
    STATS[str(response.status_code)] = STATS.get(str(response.status_code), 0) + 1
    case.validate_response(response, checks=CHECKS)


def test_the_schema_declares_what_the_api_answers():
    document = _schema()
    result = document["components"]["schemas"]["PanelResult"]["properties"]
    assert all(result[f].get("nullable") for f in ("mean", "trimmed_mean", "spread", "rank", "category_rank"))
    upload = document["components"]["schemas"]["UploadRequest"]["properties"]["file"]
    assert upload == {"type": "string", "format": "binary"} or upload.get("format") == "binary"
    missing = [
        f"{method.upper()} {path} {code}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for code in ("400", "401", "403", "404")
        if code not in operation["responses"]
    ]
    assert missing == []
    assert document["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
