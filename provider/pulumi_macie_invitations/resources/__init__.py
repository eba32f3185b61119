"""The resources a program declares: the inbox resources (:mod:`.declined_invitations`,
:mod:`.invitation_guard`, on :mod:`.inbox`) and the organization's component with its
members (:mod:`.organization`)."""
