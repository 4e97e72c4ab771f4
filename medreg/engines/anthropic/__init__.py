"""The Anthropic engine (`engine.AnthropicEngine`) and its parts: client, prompts, schemas, streamed calls, fan-out, grounding."""
