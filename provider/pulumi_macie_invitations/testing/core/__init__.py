"""The emulator's shared core: what every service that takes membership invitations the
same way has in common (the facts a service is described by, the inbox store and its
statuses and decline modes, the request handlers). Each service is a small package beside
it (``macie2``, ``guardduty``, ``securityhub``) that is mostly data; faults, the call log
and the accounts' limits are the shared modules ``faults`` and ``accounts``."""
