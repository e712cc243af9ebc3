"""The resolver's parts: words in text → the loaded problems' ids (public API: ``resolver``).

Modules, one concept each: ``spans`` (``Mention``, ``Span``), ``name_words`` (common
words that are never names, nicknames, surname shapes), ``name_index`` (person ids by
name word, exactly or fuzzily), ``people`` (people named in text or by a whole name),
``shifts``, ``skills_and_roles`` and ``rooms`` (their words → ids), ``resolver``
(``Resolver``, which ties them together), ``families`` (ward or case schedule for a
name on both), ``cover_limits`` (the ward's size) and ``llm_requests`` (an LLM-produced
request → ids, or ``Unresolved``).
"""
