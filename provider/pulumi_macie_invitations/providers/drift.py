"""Drift that refresh finds, named by the next preview in a property of its own.

Pulumi's Python dynamic-provider server sends the engine no detailed diff (a
``DiffResult`` carries only ``changes``, ``replaces`` and ``delete_before_replace``), so
for an update the CLI prints the difference between the inputs recorded in state and the
inputs ``check`` returns. Refresh (``read``) therefore leaves the program's inputs as they
were and records the senders to clean again under a hidden name (the CLI prints no
property whose name starts with ``__``). The next ``check`` turns that record into
:data:`~.properties.INVITATIONS_TO_CLEAN_AGAIN`, an input the recorded ones lack, so
``pulumi preview --diff`` prints one added property naming each sender and why. After
``pulumi up`` the recorded inputs keep that property but not the hidden record, and the
next ``check`` drops it.

Which senders count as drift is each resource's choice: callers pass them in, with the
reason a reviewer reads (a member's names the inboxes, by region, where it was found).
Every provider records drift this way; what earlier releases recorded is read too
(:func:`recorded`, :func:`found`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi.dynamic import ReadResult

from .. import properties as p

Found = Mapping[str, str]
"""Sender account id -> why its invitation is cleaned again, as a reviewer reads it."""


def read_result(
    kind: str,
    id_: str,
    outputs: Mapping[str, Any],
    inputs: Mapping[str, Any],
    found: Found,
    *,
    hide: Callable[[str], str] = str,
) -> ReadResult:
    """What ``read`` returns: ``outputs`` naming the drift, ``inputs`` recording it.

    ``kind`` is the resource's type name, for the message a refresh prints. ``outputs``
    and ``inputs`` are the resource's, as recorded and without drift; the drift
    (``found``, possibly empty) replaces whatever an earlier refresh recorded.
    """
    found = dict(sorted(found.items()))
    outs = {k: v for k, v in outputs.items() if k != p.INVITATIONS_TO_CLEAN_AGAIN}
    ins = {
        k: v
        for k, v in inputs.items()
        if k not in (p.INVITATIONS_TO_CLEAN_AGAIN, p.FOUND_BY_REFRESH)
    }
    if found:
        outs[p.INVITATIONS_TO_CLEAN_AGAIN] = found
        ins[p.FOUND_BY_REFRESH] = found
        announce(f"{kind} {id_}", found, hide)
    return ReadResult(id_, outs, ins)


def carried(
    olds: Mapping[str, Any],
    inputs: Mapping[str, Any],
    to_clean: Callable[[Mapping[str, str]], list[str]],
) -> dict[str, Any]:
    """``inputs`` (checked) with the drift the last refresh recorded in ``olds`` (the
    recorded inputs), for the senders the new inputs still clean (``to_clean`` chooses
    them, as it does from a listing)."""
    reasons = recorded(olds)
    checked = {k: v for k, v in inputs.items() if k != p.INVITATIONS_TO_CLEAN_AGAIN}
    again = {sender: reasons[sender] for sender in to_clean(reasons)}
    if again:
        checked[p.INVITATIONS_TO_CLEAN_AGAIN] = dict(sorted(again.items()))
    return checked


def recorded(props: Mapping[str, Any]) -> dict[str, str]:
    """The drift recorded in ``props`` (inputs or outputs, by any release): sender -> why.

    0.2.0's members recorded it as ``strayInvitations`` (region -> senders)."""
    found = props.get(p.FOUND_BY_REFRESH)
    if isinstance(found, Mapping):
        return {str(sender): str(why) for sender, why in found.items()}
    by_region = props.get(p.STRAY_INVITATIONS)
    if isinstance(by_region, Mapping):
        return in_inboxes(
            {str(region): [str(s) for s in senders] for region, senders in by_region.items()},
            NOT_ALLOWED,
        )
    return {}


def found(outputs: Mapping[str, Any], found_output: str) -> bool:
    """Whether the last refresh found drift, from the recorded outputs (``diff``'s olds):
    also where an earlier release recorded it only, the resource's ``found_output``."""
    return any(outputs.get(name) for name in (p.INVITATIONS_TO_CLEAN_AGAIN, found_output))


NOT_ALLOWED: Final = "not allowed, and it sent an invitation"
"""Why a sender is drift for a guard: the selection of every sender but the allowed."""


def in_inboxes(by_region: Mapping[str, list[str]], why: str) -> dict[str, str]:
    """Sender -> ``why``, naming the inboxes (by region) where refresh found it."""
    regions: dict[str, list[str]] = {}
    for region, senders in sorted(by_region.items()):
        for sender in senders:
            regions.setdefault(sender, []).append(region)
    return {
        sender: f"{why} (found in {', '.join(where)})" for sender, where in sorted(regions.items())
    }


def announce(resource: str, found: Found, hide: Callable[[str], str] = str) -> None:
    """Say what refresh found on the provider's standard error, which the CLI prints under
    Diagnostics: so a plain ``pulumi refresh`` names the senders."""
    senders = "; ".join(f"{sender} ({why})" for sender, why in found.items())
    print(
        hide(
            f"drift in {resource}: invitations to clean again from {senders}. "
            f"`pulumi preview --diff` lists them in {p.INVITATIONS_TO_CLEAN_AGAIN}; "
            "`pulumi up` cleans them."
        ),
        file=sys.stderr,
        flush=True,
    )


def announce_failures(resource: str, failures: Mapping[str, str]) -> None:
    """Say on standard error which inboxes a refresh could not list (``failures``: where ->
    why, already free of secrets), so a plain ``pulumi refresh`` names them."""
    lines = "".join(f"\n  - {where}: {why}" for where, why in sorted(failures.items()))
    print(
        f"{resource}: {len(failures)} inbox(es) failed (the next `pulumi up` retries them):{lines}",
        file=sys.stderr,
        flush=True,
    )
