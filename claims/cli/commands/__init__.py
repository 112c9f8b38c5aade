"""The command modules: each defines its commands with ``claims.cli.helpers.Commands``;
``claims.cli.registry`` says which module holds which command."""
