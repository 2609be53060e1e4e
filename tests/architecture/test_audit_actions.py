"""Every action a service writes to the audit log has words in the log (verksam/audit/presentation.py)
and belongs to one of the log's filter groups, so a new action cannot show up as a bare code."""

import ast
import re
from pathlib import Path

from verksam.audit.presentation import ACTION_LABELS, GROUPS

SOURCE = Path(__file__).resolve().parents[2] / "verksam"
ACTION = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")  # "time.entry_create"


def _recorded_actions() -> dict[str, str]:
    """Dotted string constants in the services modules, where audit rows are written (rule: services
    write the audit log), with the file each stands in — also a services module split into modules
    named for what they do (e.g. payroll/exports/start.py), found by its import of `record`."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if path.name != "services.py" and "from verksam.audit.services import record" not in text:
            continue
        tree = ast.parse(text)
        # in services.py every dotted constant; elsewhere only those given as `action=`
        roots = (
            [tree]
            if path.name == "services.py"
            else [k.value for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg == "action"]
        )
        for node in (n for root in roots for n in ast.walk(root)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and ACTION.match(node.value):
                found[node.value] = str(path.relative_to(SOURCE.parent))
    return found


def test_the_scan_finds_the_actions_it_is_meant_to_find():
    actions = _recorded_actions()
    assert {
        "time.entry_create",
        "membership.invite",
        "project.create",
        "balance.topup_confirm",
        "payroll.export_start",
        "payroll.export_done",
    } <= set(actions)


def test_every_recorded_action_has_a_label():
    missing = {action: path for action, path in _recorded_actions().items() if action not in ACTION_LABELS}
    assert not missing, f"add these to ACTION_LABELS in verksam/audit/presentation.py: {missing}"


def test_every_labelled_action_is_in_exactly_one_filter_group():
    for action in ACTION_LABELS:
        groups = [key for key, (_label, prefixes) in GROUPS.items() if action.startswith(prefixes)]
        assert len(groups) == 1, (action, groups)
