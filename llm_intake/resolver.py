"""One resolver for both parsers: words in text → the loaded problems' ids.

Names resolve exactly first (id, full name, unique first or last name), then
fuzzily with rapidfuzz — and a name that fits more than one person is returned
as ambiguous (the caller asks), never guessed.

This module is the public import point; the parts live in ``llm_intake.resolving``.
"""

from llm_intake.resolving.cover_limits import cover_count_error
from llm_intake.resolving.families import family_cues, same_name_case_staff, settle_families
from llm_intake.resolving.llm_requests import Unresolved, resolve_request
from llm_intake.resolving.resolver import Resolver
from llm_intake.resolving.spans import Mention, Span

__all__ = [
    "Mention",
    "Resolver",
    "Span",
    "Unresolved",
    "cover_count_error",
    "family_cues",
    "resolve_request",
    "same_name_case_staff",
    "settle_families",
]
