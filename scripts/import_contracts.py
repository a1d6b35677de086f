"""An import-linter contract type for names inside external packages, which import-linter's own contracts
cannot forbid (it sees `django`, not `django.db.transaction`).

Used in pyproject.toml as `forbidden_names`: the source modules may not import any of `forbidden_names`
(a dotted name: `django.db.transaction` forbids `from django.db import transaction`,
`from django.db.transaction import atomic` and `import django.db.transaction`).
"""

from __future__ import annotations

import re

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules


def _patterns(name: str) -> list[re.Pattern[str]]:
    package, _, last = name.rpartition(".")
    escaped, escaped_package, escaped_last = re.escape(name), re.escape(package), re.escape(last)
    return [
        re.compile(rf"^\s*import\s+{escaped}(\s|$|\.|,)"),
        re.compile(rf"^\s*from\s+{escaped}(\.\S+)?\s+import\s"),
        re.compile(rf"^\s*from\s+{escaped_package}\s+import\s+(\(?\s*)?([\w\s,]*,\s*)?{escaped_last}(\s|,|\)|$)"),
    ]


class ForbiddenNamesContract(Contract):
    source_modules = fields.SetField(subfield=fields.ModuleExpressionField())
    forbidden_names = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        patterns = {name: _patterns(name) for name in self.forbidden_names}  # type: ignore[attr-defined]
        offences = []
        sources = module_expressions_to_modules(graph, self.source_modules)  # type: ignore[attr-defined]
        for source in sorted(module.name for module in sources):
            for imported in sorted(graph.find_modules_directly_imported_by(source)):
                for detail in graph.get_import_details(importer=source, imported=imported):
                    line = detail["line_contents"]
                    for name, name_patterns in patterns.items():
                        if any(pattern.search(line) for pattern in name_patterns):
                            offences.append(
                                {"module": source, "line": detail["line_number"], "name": name, "text": line}
                            )
        return ContractCheck(kept=not offences, metadata={"offences": offences})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for offence in check.metadata["offences"]:
            output.print_error(f"{offence['module']}:{offence['line']} imports {offence['name']}: {offence['text']}")
            output.new_line()
