"""The service descriptions (services/) agree with botocore's service models: every
operation, paginator, parameter, field and status they name exists, the page size is the
model's largest, a batch is within the model's bound. Each test runs for every service of
the registry (services.SERVICES)."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore import xform_name
from pulumi_macie_invitations.aws import regions
from pulumi_macie_invitations.services import (
    DEFAULT_SERVICE,
    SERVICES,
    ServiceDescription,
    described,
)
from pulumi_macie_invitations.services.macie2 import MACIE2

DESCRIPTIONS = list(SERVICES.values())


@pytest.fixture(scope="module")
def session() -> botocore.session.Session:
    return botocore.session.get_session()


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_the_operations_and_the_paginator_exist(
    service: ServiceDescription, session: botocore.session.Session
) -> None:
    model = session.get_service_model(service.name)
    for operation in (service.list_operation, service.decline_operation, service.delete_operation):
        assert operation in model.operation_names
    paginators = session.get_paginator_model(service.name)
    config: dict[str, Any] = paginators.get_paginator(service.list_operation)
    assert config["limit_key"] == service.page_size_parameter
    assert config["result_key"] == service.invitations_field
    client = session.create_client(
        service.name, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    assert client.can_paginate(xform_name(service.list_operation))


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_the_page_size_is_the_models_largest(
    service: ServiceDescription, session: botocore.session.Session
) -> None:
    model: Any = session.get_service_model(service.name)  # its shapes' types are loose
    listing = model.operation_model(service.list_operation)
    limit = listing.input_shape.members[service.page_size_parameter]
    assert service.page_size == limit.metadata["max"]


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_the_fields_and_statuses_exist_in_the_models_shapes(
    service: ServiceDescription, session: botocore.session.Session
) -> None:
    model: Any = session.get_service_model(service.name)  # its shapes' types are loose
    listing = model.operation_model(service.list_operation).output_shape
    invitation = listing.members[service.invitations_field].member
    assert {service.sender_field, service.status_field} <= invitation.members.keys()
    statuses = invitation.members[service.status_field].enum
    if statuses:  # a service whose status is a free string has no enum to check against
        assert service.pending_statuses | service.accepted_statuses <= set(statuses)
    for name in (service.decline_operation, service.delete_operation):
        operation = model.operation_model(name)
        assert service.request_field in operation.input_shape.members
        unprocessed = operation.output_shape.members[service.unprocessed.list].member
        fields = {service.unprocessed.account, service.unprocessed.message}
        if service.unprocessed.code is not None:
            fields.add(service.unprocessed.code)
            codes = unprocessed.members[service.unprocessed.code].enum
            assert service.resubmitted_codes | service.tolerated_codes <= set(codes)
        assert fields <= unprocessed.members.keys()


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_a_batch_is_within_the_models_bound(
    service: ServiceDescription, session: botocore.session.Session
) -> None:
    model: Any = session.get_service_model(service.name)  # its shapes' types are loose
    for name in (service.decline_operation, service.delete_operation):
        request = model.operation_model(name).input_shape.members[service.request_field]
        assert 1 <= service.batch_size <= request.metadata.get("max", 50)


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_the_region_catalogue_and_the_names(service: ServiceDescription) -> None:
    assert "us-east-1" in regions.service_regions(service.name)
    assert service.endpoint_variable == f"AWS_ENDPOINT_URL_{service.name.upper()}"
    assert service.iam_action(service.list_operation) == f"{service.iam_prefix}:ListInvitations"
    assert service.name in service.leave_member_command
    assert service.endpoint_variable in {
        "AWS_ENDPOINT_URL_MACIE2",
        "AWS_ENDPOINT_URL_GUARDDUTY",
        "AWS_ENDPOINT_URL_SECURITYHUB",
    }


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_the_statuses_and_unprocessed_codes_are_classified_once(
    service: ServiceDescription,
) -> None:
    assert "Enabled" in service.accepted_statuses
    assert not service.pending_statuses & service.accepted_statuses
    if service.unprocessed.code is None:
        # Free text can't tell "not now" from "done already": sent again, then tolerated.
        assert service.resubmitted_codes == service.tolerated_codes == {None}
    else:
        assert None not in service.resubmitted_codes | service.tolerated_codes
        assert not service.resubmitted_codes & service.tolerated_codes


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_the_commands_to_leave_an_administrator_are_the_services_own(
    service: ServiceDescription, session: botocore.session.Session
) -> None:
    operations = {
        xform_name(name, "-") for name in session.get_service_model(service.name).operation_names
    }
    for command in (service.leave_member_command, service.leave_administrator_command):
        aws, name, operation, *_ = command.split()
        assert (aws, name) == ("aws", service.name)
        assert operation in operations


def test_the_registry_is_by_name_with_macie_the_default() -> None:
    assert list(SERVICES) == ["macie2", "guardduty", "securityhub"]
    assert all(SERVICES[name].name == name for name in SERVICES)
    assert DEFAULT_SERVICE is MACIE2 is described(None) is described("macie2")
    assert described("guardduty") is SERVICES["guardduty"]
    with pytest.raises(KeyError):
        described("detective")
