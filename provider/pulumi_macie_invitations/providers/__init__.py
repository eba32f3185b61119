"""The dynamic providers: one lifecycle (:mod:`.lifecycle`), and the providers of the
inbox resources (:mod:`.inbox`) and of an organization's members (:mod:`.member`), which
differ only in data; drift (:mod:`.drift`) and secrets (:mod:`.secrets`) for all of them.
"""
