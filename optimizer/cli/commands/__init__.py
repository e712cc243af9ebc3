"""The ``carealloc`` commands, one module each; ``optimizer.cli`` registers them."""
