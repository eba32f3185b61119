"""Secret in, secret out: the inputs a program marked secret, and what derives from them.

Pulumi's Python dynamic-provider server tells the engine it does not accept secrets
(``acceptSecrets: False``), so the engine unwraps every secret before it calls the
provider, which therefore cannot tell a secret input from a plain one. The engine then
marks secret only the outputs named like a secret input (``accountIds``), never the
outputs computed from it (``deletedAccountIds``), and prints check failures with the
input's value. So the resource records, as one more input (:data:`PROPERTY`), the names
of its inputs that are secret. They are computed in the program from each input's own
secretness (:func:`secret_input_names`), when its value resolves, so the list is right
whether the secret comes from config, ``Output.secret(...)``, another resource's secret
output, or is one element of a plain list, and whether the value is known at preview or
only at apply time. The list itself is never secret. The provider reads it back
(:class:`SecretInputs`), returns the outputs derived from a secret input in Pulumi's
secret envelope (the engine keeps it: it reads provider outputs with secrets kept), and
keeps their values out of messages.

A resource type uses it in three places: its class passes ``secret_input_names(...)`` of
its inputs as :data:`PROPERTY`; its provider's ``check`` keeps :data:`PROPERTY` out of
validation, records it and builds failures with :meth:`SecretInputs.check_failure`; its
create, update and read run inside :meth:`SecretInputs.hidden_in_errors` and return
:meth:`SecretInputs.outputs`, given which outputs derive from which inputs
(the provider's ``derived()``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import CheckFailure
from pulumi.runtime.rpc import wrap_rpc_secret

from .. import properties as p
from ..errors import MacieInvitationsError
from ..validation import is_unknown

PROPERTY: Final = p.SECRET_INPUTS
"""The input (and output) that lists the names of the secret inputs."""
PLACEHOLDER: Final = "[secret]"
"""What a secret value becomes in a message (Pulumi's own word for it in a preview)."""

_RUN: Final = re.compile(re.escape(PLACEHOLDER) + r"(?:, " + re.escape(PLACEHOLDER) + r")+")


def secret_input_names(inputs: Mapping[str, pulumi.Input[Any]]) -> pulumi.Output[list[str]]:
    """The names of ``inputs`` whose value is secret, or holds a secret element: a plain
    output, known as soon as the inputs resolve (at preview, even when their value is not)."""

    # A plain value (no Output, no awaitable in it) is never secret: asking the SDK would
    # copy each of its elements into an Output first.
    held = {name: value for name, value in inputs.items() if _may_hold_output(value)}

    async def names() -> list[str]:
        secret = await asyncio.gather(
            *(pulumi.Output.from_input(value).is_secret() for value in held.values())
        )
        return sorted(name for name, is_secret in zip(held, secret, strict=True) if is_secret)

    return pulumi.Output.from_input(names())


def _may_hold_output(value: object) -> bool:
    """Whether ``value`` is or may hold an Output or an awaitable (an input type's fields
    are not looked into)."""
    if isinstance(value, str | int | float | bool | None):
        return False
    if isinstance(value, Mapping):
        return any(_may_hold_output(element) for element in value.values())
    if isinstance(value, list | tuple):
        return any(_may_hold_output(element) for element in value)
    return True


@dataclass(frozen=True)
class SecretInputs:
    """The secret inputs of one lifecycle call: their names, and the values to hide."""

    names: frozenset[str] = frozenset()
    values: tuple[str, ...] = ()
    """Every value of a secret input as text, longest first."""

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> SecretInputs:
        """Read :data:`PROPERTY` from the inputs or state given to the provider (a state
        written before it existed has none: nothing is secret)."""
        listed = props.get(PROPERTY)
        names = frozenset(
            name for name in (listed if isinstance(listed, list) else []) if isinstance(name, str)
        )
        texts = {text for name in sorted(names) for text in _texts(props.get(name))}
        return cls(names, tuple(sorted(texts, key=lambda text: (-len(text), text))))

    def recorded(self) -> list[str]:
        """The value of :data:`PROPERTY` to record."""
        return sorted(self.names)

    def is_secret(self, name: str, derived: Mapping[str, Collection[str]]) -> bool:
        """Whether the property ``name`` is a secret input or derives from one."""
        return name in self.names or not self.names.isdisjoint(derived.get(name, ()))

    def outputs(
        self, values: Mapping[str, Any], derived: Mapping[str, Collection[str]]
    ) -> dict[str, Any]:
        """``values`` with :data:`PROPERTY` recorded, and every property that is a secret
        input or derives from one (``derived``: output -> the inputs it is computed from)
        in the secret envelope."""
        outputs = dict(values) | {PROPERTY: self.recorded()}
        return {
            name: wrap_rpc_secret(value)
            if value is not None and self.is_secret(name, derived)
            else value
            for name, value in outputs.items()
        }

    def hide(self, text: str) -> str:
        """``text`` with every secret value replaced by :data:`PLACEHOLDER` (a run of them
        by their count), and a note saying so; unchanged when it holds none."""
        hidden = text
        for value in self.values:
            hidden = hidden.replace(value, PLACEHOLDER)
        if hidden == text:
            return text
        hidden = _RUN.sub(lambda run: f"[{run.group().count(PLACEHOLDER)} secret values]", hidden)
        return f"{hidden}\n(values of secret inputs are hidden: {', '.join(self.recorded())})"

    def check_failure(self, prop: str, reason: str) -> CheckFailure:
        """A check failure without secret values. The engine prints a failing property's
        value beside the reason, secret or not, so a secret one is named in the reason."""
        if prop in self.names:
            return CheckFailure("", f"{prop}: {self.hide(reason)}")
        return CheckFailure(prop, self.hide(reason))

    @contextmanager
    def hidden_in_errors(self) -> Iterator[None]:
        """Raise what the block raises, its message (and its causes') without secret values.

        The dynamic-provider server sends the CLI the traceback of whatever a lifecycle
        call raises, so the message is rewritten where it is raised through.
        """
        try:
            yield
        except Exception as error:
            if not self.values:
                raise
            chained: BaseException | None = error
            seen: set[int] = set()
            while chained is not None and id(chained) not in seen:
                seen.add(id(chained))
                if self.hide(str(chained)) != str(chained):
                    chained.args = (self.hide(str(chained)),)
                chained = chained.__cause__ or chained.__context__
            if self.hide(str(error)) != str(error):  # its __str__ ignores args
                raise MacieInvitationsError(self.hide(str(error))) from None
            raise


def wrap(value: object) -> object:
    """``value`` in Pulumi's secret envelope, which the engine keeps on what a provider returns."""
    return wrap_rpc_secret(value)


def _texts(value: object) -> Iterator[str]:
    """Every scalar in ``value`` as a message would show it."""
    if isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, str) and value and not is_unknown(value):
        yield value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)
        if isinstance(value, float) and value.is_integer():
            yield str(int(value))
