"""`swaggertools config`: the effective configuration and where each value comes from."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from swaggertools.config import DEFAULTS
from swaggertools.emit import dumps
from swaggertools.errors import EXIT_OK, SwaggertoolsError

from .common import fail, stdout
from .options import ConfigOpt, NoConfigOpt, effective_config


def config_command(
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Print the effective configuration and where each value comes from.

    Precedence: built-in defaults < configuration file < command-line options.

    Examples:

    \b
      swaggertools config
      swaggertools config --config ci/swaggertools.yaml --json
    """
    try:
        cfg = effective_config(config, no_config, {})
    except SwaggertoolsError as error:
        fail(error)
    if as_json:
        doc = {"file": str(cfg.file) if cfg.file else None, "settings": cfg.as_dict()}
        sys.stdout.write(dumps(doc, "json").decode("utf-8"))
        raise typer.Exit(EXIT_OK)
    stdout.print(f"configuration file: {cfg.file or 'none found (built-in defaults)'}")
    width = max(len(k) for k in DEFAULTS)
    for key in DEFAULTS:
        value = cfg[key]
        shown = (
            "null" if value is None else str(value).lower() if isinstance(value, bool) else value
        )
        stdout.print(f"{key:<{width}} = {shown}    # {cfg.origin(key)}")
