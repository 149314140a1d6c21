"""The import sheet's content: for each token mode, the numbered steps with the values in.

Every fact cites the page it comes from (keys of `sources.SOURCES`); where AVEVA documents
nothing, the sheet says so instead of guessing. Renderers live in `sheet_md` (IMPORT.md) and
`sheet_html` (import.html, built from the docs renderer's pieces).
"""

from __future__ import annotations

from swaggertools.project import __version__

from .model import LIST_ITEM_AUTH, REQUEST_URI, KitModel, ModeEntry
from .sheet_model import (
    Block,
    Bullets,
    Code,
    Field,
    Fields,
    Section,
    Sheet,
    Step,
    Table,
    cited_keys,
    code,
    para,
    strong,
    text,
)
from .sources import AIM_AUTH, S2S

XML_FILE = "WebAPITypes.xml"
SHEET_FILE = "IMPORT.md"
HTML_SHEET_FILE = "import.html"
CSS_FILE = "import.css"
KIT_FILE = "kit.json"

_MODE_TITLE = {"user": "User access token", "service": "Service-to-service access token"}


def build_sheet(kit: KitModel) -> Sheet:
    """The whole sheet for `kit`."""
    sections = tuple(_section(kit, entry) for entry in kit.modes)
    intro = _intro(kit)
    sources = tuple(dict.fromkeys([*cited_keys(intro), *cited_keys(sections)]))
    return Sheet(
        title=f"Work Tasks import kit: {kit.title or kit.input_path}",
        intro=intro,
        sections=sections,
        sources=sources,
    )


def _intro(kit: KitModel) -> tuple[Block, ...]:
    files = [
        para(code(m.spec_file), f": the cleaned spec for the {m.mode} mode") for m in kit.modes
    ]
    files += [
        para(code(XML_FILE), ": the two Web API Types (an alternative to step 2)"),
        para(
            code(SHEET_FILE),
            ", ",
            code(HTML_SHEET_FILE),
            " (with its stylesheet ",
            code(CSS_FILE),
            "): this sheet, as Markdown and as a page",
        ),
        para(code(KIT_FILE), ": the same values for scripts, with the sha256 of each file"),
        *(para(code(r), ": what clean removed, pruned and validated") for r in kit.report_files),
    ]
    return (
        para(
            f"Made by swaggertools {__version__} from ",
            code(kit.input_path),
            " (sha256 ",
            code(kit.input_sha256),
            "). This folder holds:",
        ),
        Bullets(tuple(files)),
        para(
            "A Work Tasks Web API list item has one Authentication Mode, ",
            code(LIST_ITEM_AUTH["user"]),
            " or ",
            code(LIST_ITEM_AUTH["service"]),
            ", so each mode gets its own spec and its own Web API: follow both sections, or "
            "only the one you need.",
            cites=("mes-list-item",),
        ),
        para(
            "Use the service mode when a workflow runs with no user signed in, for example when "
            "Scheduler or FileWatcher triggers it.",
            cites=S2S[:2],
        ),
        para(
            strong("Not documented by AVEVA:"),
            " which OpenAPI versions and file formats Work Tasks accepts (a documented sample "
            "Web API Type is named ",
            code("TestOpenAPI301Spec"),
            ").",
            cites=("wt-types",),
        ),
    )


def _section(kit: KitModel, m: ModeEntry) -> Section:
    return Section(
        anchor=f"mode-{m.mode}",
        title=f"{_MODE_TITLE[m.mode]}: {m.name}",
        intro=(),
        steps=(
            _publish(kit, m),
            _source(kit, m),
            _list_item(kit, m),
            _check(kit, m),
            _failures(m),
        ),
    )


def _publish(kit: KitModel, m: ModeEntry) -> Step:
    blocks: list[Block] = [
        para(
            "Work Tasks reads a Web API's description from a URL: the Swagger Url of a Web API "
            "Source, or the SwaggerConfiguration of a Web API Type. No file upload is "
            "documented.",
            cites=("wt-source", "wt-types"),
        ),
        Fields(
            (
                Field("File", (code(m.spec_file),)),
                Field("Must be served at", (code(m.spec_url),)),
                Field("sha256", (code(m.spec_sha256),)),
            )
        ),
        para(
            "Copy the file into the folder that ",
            code(kit.publish_url),
            " serves, on any static web server the Work Tasks server can reach, or on IIS on "
            "the MES host (a folder or virtual directory of a site). Then open the URL above "
            "from the Work Tasks server: it must show the file.",
        ),
        para(
            "Do not publish under the MES Web API's own address ",
            code(kit.base_address),
            ": the MES middleware serves that itself (self-hosted, port 443 by default).",
            cites=("mes-base",),
        ),
    ]
    if kit.spec_format == "yaml":
        ext = m.spec_file.rsplit(".", 1)[-1]
        blocks += [
            para(
                "IIS serves only file extensions it has a MIME type for. For ",
                code(f".{ext}"),
                " add this to the ",
                code("web.config"),
                " of the folder (media type ",
                code("application/yaml"),
                "):",
                cites=("iis-mimemap", "rfc9512"),
            ),
            Code(
                "<configuration>\n"
                "  <system.webServer>\n"
                "    <staticContent>\n"
                f'      <mimeMap fileExtension=".{ext}" mimeType="application/yaml" />\n'
                "    </staticContent>\n"
                "  </system.webServer>\n"
                "</configuration>",
                "xml",
            ),
            para(
                strong("Not documented by AVEVA:"),
                " whether Work Tasks reads YAML. ",
                code("--format json"),
                " writes the kit's specs as JSON.",
            ),
        ]
    return Step("Publish the spec", tuple(blocks))


def _source(kit: KitModel, m: ModeEntry) -> Step:
    blocks: list[Block] = [
        para("In the Enterprise Console, create a Web API Source:", cites=("wt-source",)),
        Fields(
            (
                Field("Name", (code(m.name),), ("wt-source",)),
                Field("Swagger Url", (code(m.spec_url),), ("wt-source",)),
                Field("Base Address", (code(kit.base_address),), ("wt-source",)),
                Field("Authentication Mode", (code(kit.xml_auth_mode),), ("wt-source",)),
            )
        ),
        para(
            "Or instead copy ",
            code(XML_FILE),
            " into the Work Tasks folder ",
            code("<Install Folder>\\Resources\\WebAPI\\"),
            ": its type ",
            code(m.name),
            " then appears in the Web API list's Source drop-down, with the same Swagger Url "
            "(SwaggerConfiguration), Base Address and Authentication Mode.",
            cites=("wt-types",),
        ),
        para(
            strong("Not documented by AVEVA:"),
            " child elements of Authentication for the token modes, so the file has none; set "
            "the token settings on the list item (step 3). Whether Work Tasks must be "
            "restarted to read a new file is not documented either.",
            cites=("wt-types",),
        ),
    ]
    if kit.xml_auth_mode == "Windows":
        blocks.append(
            para(
                "Mode ",
                code("Windows"),
                " takes an ImpersonationUser, but the form of its value is not documented: the "
                "file has none. Set the impersonation user in the Enterprise Console.",
                cites=("wt-types", "wt-source"),
            )
        )
    return Step("Create the Web API Source", tuple(blocks))


def _list_item(kit: KitModel, m: ModeEntry) -> Step:
    rows = [
        Field("Source", (code(m.name), text(" (the source of step 2)")), ("wt-types",)),
        Field(
            "Base Address",
            (code(kit.base_address), text(" (the trailing slash is required)")),
            ("mes-list-item",),
        ),
        Field("Request URI", (code(REQUEST_URI),), ("mes-list-item",)),
        Field("Authentication Mode", (code(m.list_item_auth),), ("mes-list-item",)),
    ]
    blocks: list[Block] = [
        para(
            "In the Enterprise Console, Settings → Web API, add a Web API list item:",
            cites=("wt-list", "mes-list-item"),
        ),
    ]
    if m.mode == "service":
        rows += [
            Field(
                "Authority",
                (
                    text("the "),
                    code("token_endpoint"),
                    text(" of the AIM discovery document "),
                    code(f"{kit.authority}/.well-known/openid-configuration"),
                    text("; the spec's token URL is "),
                    code(kit.token_endpoint),
                ),
                (*S2S[:2], "oidc-discovery"),
            ),
            Field(
                "Audience",
                (
                    text("the "),
                    code("authorization_endpoint"),
                    text(" of the same document; the spec's authorization URL is "),
                    code(kit.authorize_endpoint),
                ),
                S2S[:2],
            ),
            Field(
                "Client id",
                (code(kit.client_id),)
                if kit.client_id
                else (text("the client id registered with AIM (below)"),),
                S2S,
            ),
        ]
    blocks.append(Fields(tuple(rows)))
    blocks.append(
        para(
            "AVEVA's MES page shows the Source ",
            code("Generic"),
            "; how a Generic item finds its operations is not documented, which is why this "
            "kit creates a source whose Swagger Url is the cleaned spec.",
            cites=("mes-list-item",),
        )
    )
    if m.mode == "service":
        blocks += _registration()
    else:
        blocks.append(
            para(
                "In a workflow's Invoke Web API activity, with Use System Authentication off, "
                "the signed-in user's AIM token is sent as a bearer header.",
                cites=("wt-aim",),
            )
        )
    return Step("Add the Web API list item", tuple(blocks))


def _registration() -> list[Block]:
    return [
        para(
            "Register the client with AIM once: run ",
            code("RegisterAIMServiceClient.ps1"),
            " from ",
            code("\\InstallFiles\\CD-MES\\AIMRegistration"),
            " of the MES installation files. It asks for a client id, a client secret and a "
            "user that can sign in to AIM. Tokens of a client it registers live 24 hours by "
            "default. Calls with such a token run as the MES Default Background User (system "
            "attribute 199).",
            cites=(*S2S, *AIM_AUTH[:2]),
        ),
        para(
            strong("Not documented by AVEVA:"),
            " whether the list item has separate fields for the client secret and the scope. "
            "Work Tasks' client-credential helper asks AIM for the scope ",
            code("system"),
            ".",
            cites=("wt-client-credentials",),
        ),
    ]


def _check(kit: KitModel, m: ModeEntry) -> Step:
    total = sum(n for _, n in m.groups)
    blocks: list[Block] = [
        para(
            "In a workflow's Invoke Web API activity, pick the Web API ",
            code(m.name),
            f": its Operation Group list shows the spec's tags. Expect {len(m.groups)} groups "
            f"({m.operations} operations):",
            cites=("wt-invoke", "mes-invoke"),
        ),
        Table(
            ("Operation Group", "Operations"),
            tuple(((code(tag),), (text(str(n)),)) for tag, n in m.groups),
        ),
    ]
    if total != m.operations - m.untagged:
        blocks.append(para("An operation with several tags is counted in each of its groups."))
    if m.untagged:
        blocks.append(
            para(
                strong("Not documented by AVEVA:"),
                f" how Work Tasks lists operations without a tag; {m.untagged} operations have "
                "none.",
            )
        )
    if kit.excluded:
        blocks += [
            para(
                f"These {len(kit.excluded)} operations were removed (AVEVA's Web API "
                "exceptions: methods without web endpoints, and methods a newer endpoint "
                "replaces). Use the replacement where there is one:",
                cites=("mdmes-no-endpoint", "mdmes-replaced"),
            ),
            Table(
                ("Method", "Path", "operationId", "MES method", "Reason", "Use instead"),
                tuple(
                    (
                        (text(e.method),),
                        (code(e.path),),
                        (code(e.operation_id),) if e.operation_id else (text("—"),),
                        (code(e.mes_method),) if e.mes_method else (text("—"),),
                        (text(e.reason),),
                        (code(e.replacement),) if e.replacement else (text("—"),),
                    )
                    for e in kit.excluded
                ),
            ),
        ]
    else:
        blocks.append(para("No operation was removed."))
    blocks.append(
        para(
            "If a group or an operation is missing, the report ",
            code(kit.report_files[-1] if kit.report_files else "report"),
            " says which rule removed it and which rules matched nothing.",
        )
    )
    return Step("Check the result", tuple(blocks))


def _failures(m: ModeEntry) -> Step:
    items = [
        para(
            strong("500 when AIM is offline:"),
            " when the System Management Server running AIM is offline, a token cannot be "
            "obtained or verified and MES answers 500.",
            cites=("mes-status", "mdmes-failover"),
        )
    ]
    if m.mode == "user":
        items.insert(
            0,
            para(
                strong("401 after an AIM failover:"),
                " user tokens are not synchronized across redundant AIM nodes, so after a "
                "failover users must sign in again; until they do, calls get 401.",
                cites=("mdmes-failover",),
            ),
        )
    else:
        items += [
            para(
                strong("401 after an AIM failover:"),
                " AVEVA documents this for user tokens; what happens to a service token after "
                "a failover is not documented.",
                cites=("mdmes-failover",),
            ),
            para(
                strong("Expired tokens:"),
                " tokens of a client registered by the shipped script live 24 hours by "
                "default; how Work Tasks renews them is not documented.",
                cites=S2S,
            ),
        ]
    return Step("Failures you may meet", (Bullets(tuple(items)),))
