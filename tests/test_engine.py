"""The engine (engine/): one inbox listed with botocore's paginator at the fewest calls, and
cleaned; a member's many inboxes at once (tests/test_organization.py runs them through the
member's provider)."""

from __future__ import annotations

import math

import pytest
from pulumi_macie_invitations.aws import clients
from pulumi_macie_invitations.aws.credentials import acting_as
from pulumi_macie_invitations.engine.inbox import Inbox, clean_inbox, list_received
from pulumi_macie_invitations.engine.outcomes import CleanupReport
from pulumi_macie_invitations.engine.selection import ListedSenders
from pulumi_macie_invitations.services import ServiceDescription
from pulumi_macie_invitations.services.macie2 import MACIE2
from pulumi_macie_invitations.testing import EmulatorClient

from .helpers import REGION, ServiceInboxes, operations

SENDERS = [f"{100000000000 + index}" for index in range(60)]


@pytest.mark.parametrize("count", [1, 25, 26, 50, 51, 60])
def test_a_listing_is_botocores_paginator_at_the_largest_page(
    macie_env: EmulatorClient, service: ServiceDescription, count: int
) -> None:
    inboxes = ServiceInboxes(macie_env, service)
    for sender in SENDERS[:count]:
        inboxes.seed(sender)
    inbox = Inbox(REGION, endpoint_url=macie_env.endpoint_url, service=service)
    macie_env.clear_calls()
    with acting_as(clients.credentials_of(inbox.identity, "here")):
        received = list_received(inbox.client(), "here", service)
    assert sorted(received) == SENDERS[:count]
    assert inboxes.operations() == ["ListInvitations"] * math.ceil(count / service.page_size)
    if service is MACIE2:
        assert operations(macie_env) == ["ListInvitations"] * math.ceil(count / 25)


def test_a_cleanup_of_many_senders_makes_the_fewest_calls(
    macie_env: EmulatorClient, service: ServiceDescription
) -> None:
    inboxes = ServiceInboxes(macie_env, service)
    for sender in SENDERS:
        inboxes.seed(sender)
    macie_env.clear_calls()
    inbox = Inbox(REGION, endpoint_url=macie_env.endpoint_url, service=service)
    listed = SENDERS[:55]

    report = clean_inbox(inbox, ListedSenders(tuple(listed)))

    assert report == CleanupReport(declined=listed, deleted=listed)
    batches = math.ceil(len(listed) / service.batch_size)
    pages = math.ceil(len(SENDERS) / service.page_size)
    after = math.ceil((len(SENDERS) - len(listed)) / service.page_size)
    made = inboxes.operations()
    assert made.count("ListInvitations") == pages + after
    assert made.count("DeclineInvitations") == made.count("DeleteInvitations") == batches
    sizes = [len(call.get("account_ids") or []) for call in inboxes.calls("DeleteInvitations")]
    assert sizes == [50, 5]
