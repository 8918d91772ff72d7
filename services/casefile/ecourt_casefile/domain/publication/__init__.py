"""Publication of judgments and decisions on the court portal (Resolution 03/2017/NQ-HĐTP).

``rules``: what may not be published (art. 4) as data with citations. ``anonymize``: encoding names, addresses,
identity and phone numbers (art. 7). ``workflow``: the record of one document: prepared -> approved | returned
-> released, with who may do what.
"""

from ecourt_casefile.domain.publication.anonymize import Encoded, Person, encode
from ecourt_casefile.domain.publication.rules import FLAGGABLE, RULES, BlockRule, CaseFacts, blocks
from ecourt_casefile.domain.publication.workflow import PublicationRefused, Status, check_transition

__all__ = ["FLAGGABLE", "RULES", "BlockRule", "CaseFacts", "Encoded", "Person", "PublicationRefused", "Status",
           "blocks", "check_transition", "encode"]
