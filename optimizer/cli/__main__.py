"""``python -m optimizer.cli``: the ``carealloc`` command line."""

from optimizer.cli import main

if __name__ == "__main__":
    main()
