"""The Anthropic engine's parts: client, prompts, schemas, streamed calls, fan-out, grounding."""
