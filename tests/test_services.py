"""The service descriptions (services/) agree with botocore's service models: every
operation, paginator, parameter, field and status they name exists, and the page size is
the model's largest."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore import xform_name
from pulumi_macie_invitations.aws import regions
from pulumi_macie_invitations.services import ServiceDescription
from pulumi_macie_invitations.services.macie2 import MACIE2

DESCRIPTIONS = [MACIE2]


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
        assert fields <= unprocessed.members.keys()


@pytest.mark.parametrize("service", DESCRIPTIONS, ids=lambda s: s.name)
def test_the_region_catalogue_and_the_names(service: ServiceDescription) -> None:
    assert "us-east-1" in regions.service_regions(service.name)
    assert service.endpoint_variable == f"AWS_ENDPOINT_URL_{service.name.upper()}"
    assert service.iam_action(service.list_operation) == f"{service.iam_prefix}:ListInvitations"
    assert service.name in service.leave_member_command
    assert not service.resubmitted_codes & service.tolerated_codes
