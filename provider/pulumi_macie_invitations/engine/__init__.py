"""The cleanup engine: one inbox (:mod:`.inbox`: list, choose, decline, delete, verify),
the selections of senders (:mod:`.selection`), outcomes in one vocabulary
(:mod:`.outcomes`), shared listings (:mod:`.sweeps`), and a member's many inboxes at once
(:mod:`.member`).
"""
