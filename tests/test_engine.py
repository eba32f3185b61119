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
from pulumi_macie_invitations.services.macie2 import MACIE2
from pulumi_macie_invitations.testing import EmulatorClient

from .helpers import ME, REGION, operations

SENDERS = [f"{100000000000 + index}" for index in range(60)]


@pytest.mark.parametrize("count", [1, 25, 26, 50, 60])
def test_a_listing_is_botocores_paginator_at_the_largest_page(
    macie_env: EmulatorClient, count: int
) -> None:
    for sender in SENDERS[:count]:
        macie_env.seed_invitation(ME, sender, REGION)
    inbox = Inbox(REGION, endpoint_url=macie_env.endpoint_url)
    macie_env.clear_calls()
    with acting_as(clients.credentials_of(inbox.identity, "here")):
        received = list_received(inbox.client(), "here")
    assert sorted(received) == SENDERS[:count]
    assert operations(macie_env) == ["ListInvitations"] * math.ceil(count / MACIE2.page_size)


def test_a_cleanup_of_many_senders_makes_the_fewest_calls(macie_env: EmulatorClient) -> None:
    for sender in SENDERS:
        macie_env.seed_invitation(ME, sender, REGION)
    macie_env.clear_calls()
    inbox = Inbox(REGION, endpoint_url=macie_env.endpoint_url)
    listed = SENDERS[:55]

    report = clean_inbox(inbox, ListedSenders(tuple(listed)))

    assert report == CleanupReport(declined=listed, deleted=listed)
    batches = math.ceil(len(listed) / MACIE2.batch_size)
    pages = math.ceil(len(SENDERS) / MACIE2.page_size)
    after = math.ceil((len(SENDERS) - len(listed)) / MACIE2.page_size)
    made = operations(macie_env)
    assert made.count("ListInvitations") == pages + after
    assert made.count("DeclineInvitations") == made.count("DeleteInvitations") == batches
