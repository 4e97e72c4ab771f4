"""An Anthropic-compatible stub server (Messages API with streaming, structured output, faults)."""
