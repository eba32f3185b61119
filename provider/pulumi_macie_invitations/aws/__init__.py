"""AWS access: the environment read once, credentials, the client cache, regions, STS.

Data flows down: the engine asks for a client of a service in a region, and the
credentials of an :class:`~.credentials.Identity`, and makes its calls inside
:func:`~.credentials.acting_as`. Nothing here knows a service's invitation calls.
"""

from .clients import forget_clients

__all__ = ["forget_clients"]
