"""REFI-QDA files written by hand in the shapes other tools write them (MAXQDA,
ATLAS.ti, NVivo, QualCoder), for the import tests."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

NS = "urn:QDA-XML:project:1.0"
USER_A = "11111111-1111-1111-1111-111111111111"
USER_B = "22222222-2222-2222-2222-222222222222"
CODE_ACTOR = "A0000000-0000-0000-0000-000000000001"
CODE_GOV = "A0000000-0000-0000-0000-000000000002"
CODE_PARTY = "A0000000-0000-0000-0000-000000000003"
CODE_LEFT = "A0000000-0000-0000-0000-000000000004"
CODE_CLAIM = "A0000000-0000-0000-0000-000000000005"
VAR_OUTLET = "B0000000-0000-0000-0000-000000000001"
VAR_PAGES = "B0000000-0000-0000-0000-000000000002"


def codebook_xml() -> str:
    """Actor (Government, Party › Left) and Claim, as every tool nests them."""
    return (
        "<Codes>"
        f'<Code guid="{CODE_ACTOR}" name="Actor" isCodable="true" color="#FF0000">'
        "<Description>Who speaks</Description>"
        f'<Code guid="{CODE_GOV}" name="Government" isCodable="true"/>'
        f'<Code guid="{CODE_PARTY}" name="Party" isCodable="true">'
        f'<Code guid="{CODE_LEFT}" name="Left" isCodable="true" color="#00FF00"/>'
        "</Code></Code>"
        f'<Code guid="{CODE_CLAIM}" name="Claim" isCodable="true"/>'
        "</Codes>"
    )


@dataclass
class Selection:
    start: int
    end: int
    codes: tuple[str, ...]
    user: str = USER_A
    memo: str = ""
    notes: tuple[str, ...] = ()

    def xml(self, n: int) -> str:
        guid = f"C0000000-0000-0000-0000-{n:012d}"
        body = f"<Description>{self.memo}</Description>" if self.memo else ""
        body += "".join(
            f'<Coding guid="D0000000-0000-0000-{n:04d}-{i:012d}" creatingUser="{self.user}">'
            f'<CodeRef targetGUID="{code}"/></Coding>'
            for i, code in enumerate(self.codes)
        )
        body += "".join(f'<NoteRef targetGUID="{note}"/>' for note in self.notes)
        return (
            f'<PlainTextSelection guid="{guid}" startPosition="{self.start}" '
            f'endPosition="{self.end}" creatingUser="{self.user}">{body}</PlainTextSelection>'
        )


@dataclass
class Source:
    name: str
    text: str  # as the .txt holds it
    selections: list[Selection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # variable GUID → TextValue
    inline: bool = False  # PlainTextContent instead of a .txt
    description: str = ""
    guid: str = ""


def project_xml(
    sources: list[Source],
    *,
    origin: str = "MAXQDA 2022",
    folder: str = "sources",
    variables_in_cases: bool = False,
    notes: dict[str, str] | None = None,
    codebook: str | None = None,
) -> tuple[str, dict[str, bytes]]:
    """``project.qde`` and the archive's ``.txt`` members."""
    members: dict[str, bytes] = {}
    parts = [
        f'<Project xmlns="{NS}" name="Test" origin={quoteattr(origin)} '
        f'creatingUserGUID="{USER_A}">',
        f'<Users><User guid="{USER_A}" name="Ana"/><User guid="{USER_B}" name="Ben"/></Users>',
        f"<CodeBook>{codebook_xml() if codebook is None else codebook}</CodeBook>",
        f'<Variables><Variable guid="{VAR_OUTLET}" name="Outlet" typeOfVariable="Text"/>'
        f'<Variable guid="{VAR_PAGES}" name="Pages" typeOfVariable="Integer"/></Variables>',
    ]
    cases: list[str] = []
    body: list[str] = []
    n = 0
    for index, source in enumerate(sources):
        guid = source.guid or f"E0000000-0000-0000-0000-{index:012d}"
        values = "".join(
            f'<VariableValue><VariableRef targetGUID="{var}"/><TextValue>{value}</TextValue>'
            "</VariableValue>"
            for var, value in source.variables.items()
        )
        if variables_in_cases:
            cases.append(
                f'<Case guid="F0000000-0000-0000-0000-{index:012d}">{values}'
                f'<SourceRef targetGUID="{guid}"/></Case>'
            )
            values = ""
        selections = ""
        for selection in source.selections:
            n += 1
            selections += selection.xml(n)
        description = (
            f"<Description>{source.description}</Description>" if source.description else ""
        )
        if source.inline:
            content = source.text.replace("&", "&amp;").replace("<", "&lt;")
            body.append(
                f'<TextSource guid="{guid}" name="{source.name}">{description}'
                f"<PlainTextContent>{content}</PlainTextContent>{selections}{values}</TextSource>"
            )
        else:
            members[f"{folder}/{guid}.txt"] = source.text.encode("utf-8")
            body.append(
                f'<TextSource guid="{guid}" name="{source.name}" '
                f'plainTextPath="internal://{guid}.txt">{description}{selections}{values}'
                "</TextSource>"
            )
    if cases:
        parts.append(f"<Cases>{''.join(cases)}</Cases>")
    parts.append(f"<Sources>{''.join(body)}</Sources>")
    if notes:
        parts.append(
            "<Notes>"
            + "".join(
                f'<Note guid="{g}" name="note"><PlainTextContent>{t}</PlainTextContent></Note>'
                for g, t in notes.items()
            )
            + "</Notes>"
        )
    parts.append("</Project>")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + "".join(parts), members


def write_qdpx(path: Path, qde: str | bytes, members: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


def make_qdpx(path: Path, sources: list[Source], **options: object) -> Path:
    qde, members = project_xml(sources, **options)  # type: ignore[arg-type]
    return write_qdpx(path, qde, members)
