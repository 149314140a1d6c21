"""swaggertools.project: the home page comes from the installed metadata, once."""

from __future__ import annotations

from swaggertools import project
from tests.conftest import pyproject


def test_distribution_name_is_the_one_in_pyproject() -> None:
    # A renamed distribution must rename project.DISTRIBUTION too, or the links vanish.
    assert pyproject()["project"]["name"] == project.DISTRIBUTION


def test_homepage_is_the_installed_pyproject_homepage() -> None:
    expected = pyproject()["project"]["urls"]["Homepage"]
    assert project.homepage() == expected, "reinstall after editing pyproject (make dev)"


def test_source_url_links_into_a_github_repository() -> None:
    home = "https://github.com/acme/tools"
    url = project.source_url("docs/checks.md#load-error", home)
    assert url == "https://github.com/acme/tools/blob/main/docs/checks.md#load-error"
    assert project.source_url("a.md", home + "/") == "https://github.com/acme/tools/blob/main/a.md"


def test_source_url_needs_a_known_repository_shape() -> None:
    assert project.source_url("a.md", None) is None
    assert project.source_url("a.md", "https://gitlab.com/acme/tools") is None
    assert project.source_url("a.md", "https://github.com/acme") is None
    assert project.source_url("a.md", "https://github.com/acme/tools/tree/dev") is None
    assert project.source_url("a.md", "http://github.com/acme/tools") is None
