"""The "Learned filters" tab: gradient descent turning a random kernel into a filter, step by step."""
