"""`python -m swaggertools`."""

from .cli import main

main()
