"""The emulator as an HTTP server: moto's server app, extended, behind a control API.

Run it for another process (the Pulumi CLI, a script)::

    python -m pulumi_macie_invitations.testing.server --port 0 [--host 127.0.0.1] [--latency-ms 50]

It prints one line, ``listening on http://127.0.0.1:PORT``, and serves until SIGTERM or
Ctrl-C: every emulated service and STS on that one port. Point boto3 at it with
``AWS_ENDPOINT_URL`` or the per-service ``AWS_ENDPOINT_URL_MACIE2``,
``AWS_ENDPOINT_URL_GUARDDUTY``, ``AWS_ENDPOINT_URL_SECURITYHUB``, ``AWS_ENDPOINT_URL_STS``.

Control API (JSON), next to the AWS API on the same port. ``service`` (a body field or a
query parameter) names the service, ``macie2`` when left out; ``service=*`` lists every
service's calls:

================================  ======================================================
``GET /_emulator/health``         ``{"status": "ok"}``
``POST /_emulator/faults``        add a fault, e.g. ``{"action": "throttle",
                                  "operation": "DeleteInvitations", "times": 3}``
                                  (see :meth:`.FaultPlan.apply`)
``GET``/``DELETE /_emulator/faults``  list a service's faults / clear the faults (every
                                  service's unless ``?service=`` names one)
``GET``/``PUT /_emulator/mode``   a service's decline mode: ``{"decline":
                                  "leaves-listing", "service": "guardduty"}`` (see
                                  :mod:`.core.inbox`; reset restores ``stays-listed``)
``GET /_emulator/calls``          the call log (``?operation=`` and ``?service=`` filter;
                                  moto's AWS Organizations calls are logged too, as
                                  ``service=organizations``)
``GET /_emulator/calls-in-progress``  the calls being answered (waiting on the delay,
                                  a barrier or a latency fault, or running), each
                                  ``{"operation", "account_id", "region"}``, until logged
                                  (``?operation=``, ``?service=`` filter)
``GET /_emulator/sts-calls``      the STS calls (``AssumeRole``: the role's account as
                                  ``account_id``)
``DELETE /_emulator/calls``       clear both call logs
``POST /_emulator/reset``         forget all state: moto backends, faults, calls, modes,
                                  latency, disabled regions, refused roles
``POST /_emulator/invitations``   seed a received invitation in any status:
                                  ``{"recipient", "sender", "region", "service",
                                  <status>}`` (the status under the service's
                                  ListInvitations name: ``relationshipStatus``, Security
                                  Hub's ``MemberStatus``); answers 201 with it in
                                  ListInvitations' item shape plus the ``recipient`` and
                                  ``region`` it was seeded for
``GET /_emulator/invitations``    an inbox: ``?recipient=<account id>&region=<region>
                                  &service=<service>`` (region ``us-east-1`` if left
                                  out); the invitations it holds in ListInvitations'
                                  item shape, by sender; no AWS call: nothing logged,
                                  no fault applied
``GET``/``PUT /_emulator/latency``  the delay before every AWS call is answered (STS
                                  too): ``{"milliseconds": 50}``; a reset brings back
                                  ``--latency-ms``
``POST /_emulator/disabled-regions``  an opt-in region the account hasn't enabled:
                                  ``{"accountId", "region"}``; every call it makes
                                  there gets 403 UnrecognizedClientException
``GET``/``DELETE /_emulator/disabled-regions``  list / enable them all again
``POST /_emulator/refused-roles``  ``{"roleArn"}``: STS AssumeRole into it gets 403
                                  AccessDenied
``GET``/``DELETE /_emulator/refused-roles``  list / clear them
================================  ======================================================

Faults, the call log, disabled regions and refused roles are forgotten by a reset.

:class:`EmulatorServer` runs the same app on a background thread, for tests.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from .accounts import account_limits
from .core.registry import DEFAULT_SERVICE, emulated, service_names
from .faults import MAX_CALL_DELAY_MS, call_delay, call_log, faults, sts_call_log
from .state import (
    decline_mode,
    install,
    received_invitations,
    reset,
    seed_invitation,
    set_decline_mode,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["CONTROL_PREFIX", "ControlApp", "EmulatorServer", "build_app", "main"]

CONTROL_PREFIX: Final = "/_emulator/"
DEFAULT_REGION: Final = "us-east-1"
INVITED_STATUS: Final = "Invited"
ALL_SERVICES: Final = "*"
ORGANIZATIONS: Final = "organizations"
"""moto's AWS Organizations, served as it is; its calls are logged (``service=organizations``)."""

_Handler = Callable[[Request], tuple[int, object]]


def _json_body(request: Request) -> dict[str, Any]:
    text = request.get_data(as_text=True)
    try:
        body = json.loads(text) if text else {}
    except ValueError as error:
        raise ValueError(f"the body isn't JSON: {error}") from None
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def _health(_: Request) -> tuple[int, object]:
    return 200, {"status": "ok"}


def _service(request: Request, body: dict[str, Any] | None = None) -> str:
    """The service a control request names (body field, else query parameter), Macie's if
    none; ValueError for an unknown one."""
    given = (body or {}).get("service", request.args.get("service", DEFAULT_SERVICE))
    return emulated(given).facts.name


def _services_filter(request: Request) -> str | None:
    """A listing's ``?service=``: one service (Macie's if none; ``organizations`` too), or
    every one (``*``)."""
    given = request.args.get("service")
    if given == ALL_SERVICES:
        return None
    return ORGANIZATIONS if given == ORGANIZATIONS else _service(request)


def _list_faults(request: Request) -> tuple[int, object]:
    return 200, faults.rules(_service(request))


def _add_fault(request: Request) -> tuple[int, object]:
    spec = _json_body(request)
    faults.apply(spec)
    return 201, faults.rules(_service(request, spec))


def _clear_faults(request: Request) -> tuple[int, object]:
    service = request.args.get("service")
    faults.clear(None if service is None else _service(request))
    return 200, []


def _get_mode(request: Request) -> tuple[int, object]:
    return 200, {"decline": decline_mode(_service(request))}


def _set_mode(request: Request) -> tuple[int, object]:
    body = _json_body(request)
    mode, service = body.get("decline"), _service(request, body)
    if not isinstance(mode, str):
        raise ValueError("decline must be a string")
    set_decline_mode(mode, service)
    return 200, {"decline": decline_mode(service)}


def _list_calls(request: Request) -> tuple[int, object]:
    return 200, call_log.calls(request.args.get("operation"), _services_filter(request))


def _list_calls_in_progress(request: Request) -> tuple[int, object]:
    operation = request.args.get("operation")
    return 200, call_log.calls_in_progress(operation, _services_filter(request))


def _list_sts_calls(request: Request) -> tuple[int, object]:
    return 200, sts_call_log.calls(request.args.get("operation"), service=None)


def _clear_calls(_: Request) -> tuple[int, object]:
    call_log.clear()
    sts_call_log.clear()
    return 200, []


def _reset(_: Request) -> tuple[int, object]:
    reset()
    return 200, {"status": "reset"}


def _seed_invitation(request: Request) -> tuple[int, object]:
    body = _json_body(request)
    service = _service(request, body)
    status_name = emulated(service).facts["status"]
    recipient, sender = body.get("recipient"), body.get("sender")
    region = body.get("region", DEFAULT_REGION)
    status = body.get(status_name, INVITED_STATUS)
    if not (
        isinstance(recipient, str)
        and isinstance(sender, str)
        and isinstance(region, str)
        and isinstance(status, str)
    ):
        raise ValueError(f"recipient, sender, region and {status_name} must be strings")
    return 201, seed_invitation(recipient, sender, region, status, service)


def _list_invitations(request: Request) -> tuple[int, object]:
    recipient = request.args.get("recipient")
    if recipient is None:
        raise ValueError("name the inbox: ?recipient=<account id>[&region=<region>]")
    region = request.args.get("region", DEFAULT_REGION)
    return 200, received_invitations(recipient, region, _service(request))


def _latency(_: Request) -> tuple[int, object]:
    return 200, {"milliseconds": call_delay.milliseconds}


def _set_latency(request: Request) -> tuple[int, object]:
    call_delay.set(_json_body(request).get("milliseconds"))  # type: ignore[arg-type]
    return 200, {"milliseconds": call_delay.milliseconds}


def _disabled_regions(_: Request) -> tuple[int, object]:
    return 200, account_limits.disabled_regions()


def _disable_region(request: Request) -> tuple[int, object]:
    body = _json_body(request)
    account_limits.disable_region(body.get("accountId"), body.get("region"))  # type: ignore[arg-type]
    return 201, account_limits.disabled_regions()


def _refused_roles(_: Request) -> tuple[int, object]:
    return 200, account_limits.refused_roles()


def _refuse_role(request: Request) -> tuple[int, object]:
    account_limits.refuse_role(_json_body(request).get("roleArn"))  # type: ignore[arg-type]
    return 201, account_limits.refused_roles()


def _enable_all_regions(_: Request) -> tuple[int, object]:
    account_limits.enable_all_regions()
    return 200, []


def _accept_all_roles(_: Request) -> tuple[int, object]:
    account_limits.accept_all_roles()
    return 200, []


_ROUTES: Final[dict[tuple[str, str], _Handler]] = {
    ("GET", "health"): _health,
    ("GET", "faults"): _list_faults,
    ("POST", "faults"): _add_fault,
    ("DELETE", "faults"): _clear_faults,
    ("GET", "mode"): _get_mode,
    ("PUT", "mode"): _set_mode,
    ("GET", "calls"): _list_calls,
    ("DELETE", "calls"): _clear_calls,
    ("GET", "sts-calls"): _list_sts_calls,
    ("GET", "calls-in-progress"): _list_calls_in_progress,
    ("POST", "reset"): _reset,
    ("POST", "invitations"): _seed_invitation,
    ("GET", "invitations"): _list_invitations,
    ("GET", "latency"): _latency,
    ("PUT", "latency"): _set_latency,
    ("GET", "disabled-regions"): _disabled_regions,
    ("POST", "disabled-regions"): _disable_region,
    ("DELETE", "disabled-regions"): _enable_all_regions,
    ("GET", "refused-roles"): _refused_roles,
    ("POST", "refused-roles"): _refuse_role,
    ("DELETE", "refused-roles"): _accept_all_roles,
}
_SIGNING_SERVICE: Final = re.compile(r"Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/")
"""The region and service a SigV4 ``Authorization`` header was signed for."""


class ControlApp:
    """WSGI app: the control API under ``/_emulator/``, anything else to ``aws_app``."""

    def __init__(self, aws_app: WSGIApplication) -> None:
        self.aws_app = aws_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        if not str(environ.get("PATH_INFO", "")).startswith(CONTROL_PREFIX):
            return self._aws(environ, start_response)
        response = self._control(Request(environ))
        return response(environ, start_response)

    def _aws(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """An AWS call: the call delay, refused roles and the call log for STS and the
        rest; the emulated services' calls get these from their handler (so in-process calls
        too)."""
        signed = _SIGNING_SERVICE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
        service = signed.group(2) if signed else None
        if service in service_names():
            return self.aws_app(environ, start_response)
        call_delay.wait()
        if service == ORGANIZATIONS:
            return self._logged_organizations_call(environ, start_response, signed)
        if service != "sts" or environ.get("REQUEST_METHOD") != "POST":
            return self.aws_app(environ, start_response)
        action, role_arn = _sts_request(environ)
        region = signed.group(1) if signed else DEFAULT_REGION
        role_account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
        if action == "AssumeRole" and account_limits.role_refused(role_arn):
            sts_call_log.record(action, role_account, region, 403, service="sts")
            return _refused_assume_role(role_arn)(environ, start_response)

        def logging_start_response(status: str, headers: Any, *rest: Any) -> Any:  # noqa: ANN401
            status_code = int(status.split()[0])
            sts_call_log.record(action, role_account, region, status_code, service="sts")
            return start_response(status, headers, *rest)

        return self.aws_app(environ, logging_start_response)

    def _logged_organizations_call(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        signed: re.Match[str] | None,
    ) -> Iterable[bytes]:
        """An AWS Organizations call, answered by moto and logged (service
        ``organizations``, the operation from its ``X-Amz-Target``, its User-Agent)."""
        operation = str(environ.get("HTTP_X_AMZ_TARGET", "")).rpartition(".")[2]
        region = signed.group(1) if signed else DEFAULT_REGION

        def logging_start_response(status: str, headers: Any, *rest: Any) -> Any:  # noqa: ANN401
            call_log.record(
                operation,
                "",
                region,
                int(status.split()[0]),
                user_agent=str(environ.get("HTTP_USER_AGENT", "")),
                service=ORGANIZATIONS,
            )
            return start_response(status, headers, *rest)

        return self.aws_app(environ, logging_start_response)

    @staticmethod
    def _control(request: Request) -> Response:
        resource = request.path.removeprefix(CONTROL_PREFIX).strip("/")
        handler = _ROUTES.get((request.method, resource))
        if handler is None:
            known = any(path == resource for _, path in _ROUTES)
            status, payload = (405, "method not allowed") if known else (404, "not found")
            return _json_response(status, {"error": payload})
        try:
            status, result = handler(request)
        except (ValueError, TypeError) as error:
            return _json_response(400, {"error": str(error)})
        return _json_response(status, result)


def _sts_request(environ: WSGIEnvironment) -> tuple[str, str]:
    """An STS request's Action and RoleArn (empty when absent); the body is put back for
    moto."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    form = Request({**environ, "wsgi.input": io.BytesIO(body)}).form
    return form.get("Action", ""), form.get("RoleArn", "")


def _refused_assume_role(role_arn: str) -> Response:
    """STS's 403 AccessDenied for a role that can't be assumed."""
    message = (
        "User: arn:aws:iam::123456789012:root is not authorized to perform: "
        f"sts:AssumeRole on resource: {role_arn}"
    )
    xml = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{message}</Message>"
        "</Error><RequestId>refused-by-the-macie2-emulator</RequestId></ErrorResponse>"
    )
    return Response(xml, status=403, mimetype="text/xml")


def _json_response(status: int, payload: object) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


class _Dispatcher(DomainDispatcherApplication):
    """moto's dispatcher, remembering which backend serves each host it has seen.

    moto's own lists its modules on disk and tries every service's URL patterns on every
    request, under one lock; the answer for a host never changes while the server runs.
    """

    def __init__(self, create_app: Callable[..., Any]) -> None:
        super().__init__(create_app)
        self._backend_of_host: dict[str | None, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:  # noqa: ANN401 (moto's type)
        """The backend moto picks for ``host``, found once per host."""
        if host not in self._backend_of_host:
            self._backend_of_host[host] = super().get_backend_for_host(host)
        return self._backend_of_host[host]


def build_app() -> ControlApp:
    """The server's WSGI app: :func:`install` applied, moto's dispatcher behind the control API."""
    install()
    return ControlApp(_Dispatcher(create_backend_app))


class _QuietRequestHandler(MotoRequestHandler):
    """moto's request handler without werkzeug's line per request (errors still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Don't log successful requests."""


class EmulatorServer:
    """The emulator server on a background thread (threaded werkzeug server).

    >>> with EmulatorServer() as server:       # 127.0.0.1, a free port
    ...     EmulatorClient(server.endpoint_url).health()
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        verbose: bool = False,
        latency_ms: float = 0.0,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.verbose = verbose
        self.latency_ms = latency_ms
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port listened on (known once started)."""
        if self._server is None:
            raise RuntimeError("the emulator server isn't started")
        return int(self._server.server_address[1])

    @property
    def endpoint_url(self) -> str:
        """``http://host:port``, for boto3's ``endpoint_url`` and the control API."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> Self:
        """Bind and start serving; returns at once, the port already bound."""
        if self._server is not None:
            return self
        handler = MotoRequestHandler if self.verbose else _QuietRequestHandler
        call_delay.set_default(self.latency_ms)
        server = make_server(
            self.host, self.requested_port, build_app(), threaded=True, request_handler=handler
        )
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"invitations-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket. Idempotent."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until SIGTERM/SIGINT; print ``listening on URL`` once bound."""
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_macie_invitations.testing.server",
        description=(
            "Local emulator of Macie, GuardDuty and Security Hub invitations "
            "(moto, extended with received invitations)."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="answer every AWS call after this many milliseconds (default 0)",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.latency_ms <= MAX_CALL_DELAY_MS:
        parser.error(f"--latency-ms must be from 0 to {MAX_CALL_DELAY_MS}, not {args.latency_ms:g}")

    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = EmulatorServer(args.host, args.port, verbose=args.verbose, latency_ms=args.latency_ms)
    with server:
        print(f"listening on {server.endpoint_url}", flush=True)
        while not stopping.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
