"""What emulated accounts can't do: opt-in regions they haven't enabled, roles that can't be
assumed.

A region that an account has not enabled (an opt-in region such as af-south-1 or
me-south-1) answers every call with AWS's 403 for credentials it doesn't recognise
(``UnrecognizedClientException``, "The security token included in the request is
invalid."): the account's keys don't exist there. A refused role answers STS
``AssumeRole`` with 403 ``AccessDenied`` (over HTTP only: in-process, STS is moto's own).

>>> account_limits.disable_region("111122223333", "af-south-1")
>>> account_limits.refuse_role("arn:aws:iam::444455556666:role/OrganizationAccountAccessRole")
>>> account_limits.clear()
"""

from __future__ import annotations

import re
import threading
from typing import Final

__all__ = ["NOT_ENABLED_ERROR", "AccountLimits", "account_limits"]

NOT_ENABLED_ERROR: Final = "UnrecognizedClientException"
"""The error code AWS answers in a region the calling account has not enabled."""
_ACCOUNT_ID: Final = re.compile(r"\d{12}")
_REGION: Final = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
_ROLE_ARN: Final = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/.+")


class AccountLimits:
    """Regions disabled per account and roles refused; see the module docstring. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._disabled: set[tuple[str, str]] = set()
        self._refused: set[str] = set()

    def disable_region(self, account_id: str, region: str) -> None:
        """``account_id`` has not enabled ``region``: every Macie call there is refused."""
        if not isinstance(account_id, str) or not _ACCOUNT_ID.fullmatch(account_id):
            raise ValueError(f"accountId must be a 12-digit string, not {account_id!r}")
        if not isinstance(region, str) or not _REGION.fullmatch(region):
            raise ValueError(f"region must be a region name such as 'af-south-1', not {region!r}")
        with self._lock:
            self._disabled.add((account_id, region))

    def region_enabled(self, account_id: str, region: str) -> bool:
        """Whether ``account_id`` may call Macie in ``region``."""
        with self._lock:
            return (account_id, region) not in self._disabled

    def disabled_regions(self) -> list[dict[str, str]]:
        """The disabled regions, in the control API's JSON form, sorted."""
        with self._lock:
            pairs = sorted(self._disabled)
        return [{"accountId": account, "region": region} for account, region in pairs]

    def refuse_role(self, role_arn: str) -> None:
        """STS ``AssumeRole`` into ``role_arn`` answers 403 AccessDenied."""
        if not isinstance(role_arn, str) or not _ROLE_ARN.fullmatch(role_arn):
            raise ValueError(
                f"roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), "
                f"not {role_arn!r}"
            )
        with self._lock:
            self._refused.add(role_arn)

    def role_refused(self, role_arn: str) -> bool:
        """Whether assuming ``role_arn`` is refused."""
        with self._lock:
            return role_arn in self._refused

    def refused_roles(self) -> list[str]:
        """The refused role ARNs, sorted."""
        with self._lock:
            return sorted(self._refused)

    def enable_all_regions(self) -> None:
        """Every region enabled again."""
        with self._lock:
            self._disabled.clear()

    def accept_all_roles(self) -> None:
        """Every role assumable again."""
        with self._lock:
            self._refused.clear()

    def clear(self) -> None:
        """Every region enabled, every role assumable again."""
        self.enable_all_regions()
        self.accept_all_roles()


account_limits: Final = AccountLimits()
"""The process-global limits the emulator applies."""
