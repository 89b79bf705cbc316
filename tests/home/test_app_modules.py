"""home.app_modules finds each app's demo, privacy and retention module, in
the order of INSTALLED_APPS, and does not hide an error inside one."""

from types import SimpleNamespace

import pytest

from django.apps import apps

from home.app_modules import app_modules


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("demo", ["home", "workgroups", "documents"]),
        ("privacy", ["workgroups", "documents"]),
        ("retention", ["home", "workgroups", "documents"]),
    ],
)
def test_each_apps_module_is_found_in_installed_apps_order(name, labels):
    found = app_modules(name)

    assert [label for label, _module in found] == labels
    assert [module.__name__ for _label, module in found] == [
        f"{label}.{name}" for label in labels
    ]


def test_an_app_without_the_module_is_left_out():
    assert app_modules("no_such_module") == []


def test_an_import_error_inside_an_apps_module_is_raised(tmp_path, monkeypatch):
    package = tmp_path / "broken_app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "demo.py").write_text("import no_such_library_at_all\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = __import__("broken_app")
    config = SimpleNamespace(name="broken_app", label="broken", module=module)
    monkeypatch.setattr(apps, "get_app_configs", lambda: [config])

    with pytest.raises(ModuleNotFoundError, match="no_such_library_at_all"):
        app_modules("demo")
