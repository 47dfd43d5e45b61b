"""The hub's API under generated requests (issue 12.8): schemathesis makes valid and invalid
requests from the hub's own OpenAPI for every operation, sends them to a real hub (SQLite and
PostgreSQL) as an enrolled desk, and checks that none gets a server error and every answer
matches the documented status, content type and schema. Bounded: a fixed number of examples
per operation, derandomised so a failure repeats."""

from __future__ import annotations

import httpx
import schemathesis
from helpers_hub import ThreadHub, enrol_code, enrol_raw, seed_registry
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 10  # per operation and mode: about 400 requests a database
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_generated_requests_get_no_server_error_and_match_the_schema(hub: ThreadHub) -> None:
    seed_registry(hub.store, households=3)
    token = enrol_raw(hub.url, enrol_code(hub.store), "fuzz-desk")["token"]
    schema = schemathesis.openapi.from_url(hub.url + "/openapi.json")
    auth = {"Authorization": f"Bearer {token}"}
    tried: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def send(case: schemathesis.Case) -> None:
                response = case.call(base_url=hub.url, headers=auth, timeout=30)
                case.validate_response(response, checks=CHECKS)

            try:
                send()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE, operation.label
        tried.append(operation.label)
    assert len(tried) >= 19, tried
    # After all that, the hub still answers as it should.
    assert httpx.get(hub.url + "/api/v1/status", headers=auth).status_code == 200
