"""Who makes the course, under which licences, and where its source is: the
footer of every page, and the prose of the pages that depends on the repository.

The footer is Material's `copyright`, set here in each language: the licences
of LICENSE, each linked to its text. The repository is not Material's
`repo_url`: for a GitHub or GitLab address, the theme's script asks that host's
API for the repository's stars on every page load, and the site asks nothing of
another host. So REPO_URL (extra.repository in mkdocs.yml) gives it, and only
then does the footer link to the repository and to its issue tracker
(<repository>/issues). A page says what depends on it twice:

    <!-- with-repository -->Open an [issue](REPO_URL/issues).<!-- without-repository -->...<!-- end-repository -->

and the build keeps the first text, with the repository's address for REPO_URL,
or, without REPO_URL, the second.
"""

import re

LICENCES = {  # as LICENSE names them
    "cc_by": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "cc_by_nc": ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "apache": ("Apache 2.0", "https://www.apache.org/licenses/LICENSE-2.0"),
}
EITHER = re.compile(r"<!-- with-repository -->(.*?)<!-- without-repository -->(.*?)<!-- end-repository -->", re.S)


def repository(config) -> str:
    return (config.extra.get("repository") or "").rstrip("/")


def footer(text: dict, repo: str) -> str:
    licences = {key: f'<a href="{url}">{name}</a>' for key, (name, url) in LICENCES.items()}
    parts = [text["footer_licence"].format(**licences)]
    if repo:
        parts += [f'<a href="{repo}">{text["footer_source"]}</a>', f'<a href="{repo}/issues">{text["footer_report"]}</a>']
    return " · ".join(parts)


def with_or_without_repository(markdown: str, repo: str) -> str:
    return EITHER.sub(lambda m: m.group(1).replace("REPO_URL", repo) if repo else m.group(2), markdown)


def on_config(config):
    config.copyright = footer(config.extra["strings"][config.theme["language"]], repository(config))
    return config


def on_page_markdown(markdown, page, config, files):
    return with_or_without_repository(markdown, repository(config))
