"""Stories: the model, the safe YAML loader, expressions and the author's checks."""
