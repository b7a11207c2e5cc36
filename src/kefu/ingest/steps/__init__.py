"""One pipeline step per module, in the order `pipeline.STEPS` runs them."""
