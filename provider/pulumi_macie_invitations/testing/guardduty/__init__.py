"""Amazon GuardDuty (``guardduty``): moto's backend with both sides of invitations (moto
has no invitation calls)."""
