"""Free text → validated change proposals (rule parser by default, any OpenAI-compatible LLM
optionally). Nothing is applied until confirmed; see ``llm_intake.apply``."""
