"""The analyst's project: a folder of sources, builds and settings that the package never owns.

A project is a folder holding ``habitat-kg.toml`` (its settings), ``sources/`` (report texts,
curated statements, reference data) and ``build/`` (what ``build`` writes). Every command works
in one project: the one named by ``--project`` (or ``HABITAT_KG_PROJECT``), else the current
folder when it holds ``habitat-kg.toml``, else a per-user data folder made on first use. A new
project starts with a copy of the bundled record, so that it shows the bundled graph at once.
The installed package is only ever read.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import click
import platformdirs
from click.core import ParameterSource

from habitat_kg.errors import SourceError, reports_bad_input
from habitat_kg.settings import SETTINGS, read_config_file, setting_option

F = TypeVar("F", bound=Callable[..., Any])

#: The file that makes a folder a project, and holds its settings.
PROJECT_FILE = "habitat-kg.toml"
#: The dataset a build writes into its folder (``--data``) and every reader of it opens there.
DATASET_FILE = "habitat-kg.trig"

_SETTINGS_FILE_TEXT = """\
# habitat-kg project settings: one `name = value` line per setting (`habitat-kg SETTING --help`
# lists them). An option or environment variable wins over this file. Paths are relative to
# this folder.
#
# sources = "sources"    # report texts, curated statements, reference data
# data = "build"         # where `habitat-kg build` writes the dataset
# port = 8080
# timeout = 30
"""


@dataclass(frozen=True)
class Project:
    """A project folder and the settings its ``habitat-kg.toml`` gives."""

    root: Path
    settings: dict[str, str]

    @classmethod
    def open(cls, root: Path) -> Project:
        """The project at ``root``; SourceError naming the folder if it is not one."""
        settings_file = root / PROJECT_FILE
        if not settings_file.is_file():
            raise SourceError(
                root,
                None,
                f"not a habitat-kg project (it has no {PROJECT_FILE}); "
                "make one with `habitat-kg init DIR`",
            )
        return cls(root, read_config_file(settings_file))

    @property
    def sources(self) -> Path:
        return self._path("sources", "sources")

    @property
    def data(self) -> Path:
        """The folder the build writes the dataset to (``build/`` unless its settings say)."""
        return self._path("data", "build")

    def _path(self, name: str, default: str) -> Path:
        return self.root / self.settings.get(name, default)


def bundled_sources() -> Path:
    """The sources of the bundled record, inside the installed package (read only)."""
    return Path(str(files("habitat_kg.graph") / "sources"))


def user_project_root() -> Path:
    """The per-user project, used when no other is named (``~/.local/share/habitat-kg``)."""
    return platformdirs.user_data_path("habitat-kg", appauthor=False)


def init_project(root: Path) -> Project:
    """Make a project at ``root`` (absent or empty) with a copy of the bundled record.

    A folder holding anything, or a file in the way, is refused and left as it was. The project
    is made in a staging folder beside ``root`` and renamed into place, so an interrupted init
    leaves no half-made project.
    """
    if root.exists() or root.is_symlink():
        if not root.is_dir():
            raise SourceError(root, None, "a file is in the way: init makes a project folder")
        present = sorted(entry.name for entry in root.iterdir())
        if present:
            shown = ", ".join(present[:3]) + (", ..." if len(present) > 3 else "")
            raise SourceError(
                root,
                None,
                f"the folder holds other files ({shown}): init makes a project only in a new "
                "or empty folder; nothing was changed",
            )
    parent = root.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = parent / f".{root.name}.init-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir()
            shutil.copytree(bundled_sources(), staging / "sources")
            (staging / "build").mkdir()
            (staging / PROJECT_FILE).write_text(_SETTINGS_FILE_TEXT, encoding="utf-8")
            # rename(2) replaces an empty folder, and fails if one was filled meanwhile.
            staging.rename(root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        raise SourceError(root, None, f"cannot make the project: {error.strerror}") from None
    return Project.open(root)


def locate_project(named: str | Path | None) -> Project:
    """The project named, else the current folder's, else the per-user one (made if new)."""
    if named:
        return Project.open(Path(named))
    here = Path.cwd()
    if (here / PROJECT_FILE).is_file():
        return Project.open(here)
    root = user_project_root()
    if (root / PROJECT_FILE).is_file():
        return Project.open(root)
    click.echo(f"habitat-kg: no project named: making one at {root}", err=True)
    return init_project(root)


def in_project(*, unless: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Give a command a ``--project`` option and run it in that project.

    The paths ``sources`` and ``data`` left unset come from the project, and every other setting
    left at its default (not given as an option, in the environment or in ``--config``) comes
    from the project's ``habitat-kg.toml`` when it has it. A command given any of the
    parameters named in ``unless`` (its own input) needs no project, and none is made for it.
    """
    return functools.partial(_in_project, unless=unless)  # type: ignore[return-value]


def reads_built_graph(*, unless: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Make a command a reader of the built graph: its ``--data`` and ``--store`` options, bad
    input told in one line, and run in the project (``unless`` as for :func:`in_project`)."""

    def decorate(command: F) -> F:
        command = reports_bad_input(in_project(unless=unless)(command))
        command = setting_option("store")(command)
        return setting_option("data", type=click.Path(path_type=Path))(command)

    return decorate


def _in_project(command: F, unless: tuple[str, ...]) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, project: str | None, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        own_input = any(kwargs.get(name) for name in unless)
        unset_paths = any(
            kwargs.get(name) is None for name in ("sources", "data") if name in kwargs
        )
        if project or (unset_paths and not own_input) or (Path.cwd() / PROJECT_FILE).is_file():
            _apply_project(ctx, locate_project(project), kwargs)
        return command(*args, **kwargs)

    setting = SETTINGS["project"]
    option = click.option(
        "--project",
        envvar=setting.env,
        default=None,
        type=click.Path(file_okay=False),
        help=f"{setting.help} [env: {setting.env}]",
    )
    return option(wrapper)  # type: ignore[return-value]


def _apply_project(ctx: click.Context, project: Project, kwargs: dict[str, Any]) -> None:
    for param in ctx.command.params:
        name = param.name
        if name not in kwargs or name is None:
            continue
        setting_name = name.replace("_", "-")
        if name in ("sources", "data") and kwargs[name] is None:
            kwargs[name] = project.sources if name == "sources" else project.data
        elif setting_name in project.settings and _left_at_default(ctx, name):
            value = project.settings[setting_name]
            try:
                kwargs[name] = param.type_cast_value(ctx, value)
            except click.BadParameter as error:
                where = project.root / PROJECT_FILE
                raise SourceError(where, None, f"{setting_name}: {error.message}") from None


def _left_at_default(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None)
