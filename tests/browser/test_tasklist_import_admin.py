"""管理员 王 imports a revised 附件1 in the admin with a real browser: upload, read the diff, confirm."""

from __future__ import annotations

import pytest

from tasks_app.models import PlanRevision, Role, User
from tests.browser.conftest import screenshot
from tests.support.annex1_documents import annex_rows, build_xlsx, task_row

pytestmark = pytest.mark.browser


def test_an_admin_uploads_a_revision_reads_the_diff_and_confirms(page, live_server, annex1_committed, tmp_path):
    User.objects.create_user(
        "wang", password="Demo@2026", first_name="管理员 王", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    _, rows = annex_rows()
    task_row(rows, 3).cells[3] = "市生态环境局、文旅广局、水利局"
    revised = tmp_path / "附件1（修订稿）.xlsx"
    revised.write_bytes(build_xlsx(rows))

    page.goto(live_server.url + "/admin/login/?next=/admin/tasks_app/planrevision/")
    page.fill("#id_username", "wang")
    page.fill("#id_password", "Demo@2026")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/tasks_app/planrevision/")
    page.locator("a.import_link").click()
    page.wait_for_url("**/planrevision/import/")
    assert "附件原表" in page.locator(".tl-help").inner_text()
    screenshot(page, "tasklist-import-1-upload")

    page.set_input_files("#id_import_file", str(revised))
    page.fill("#id_note", "征求意见后修订")
    page.locator("input[type=submit]").click()
    page.wait_for_selector(".tl-diff")
    assert (
        page.locator(".tl-summary").inner_text() == "重点任务：修改 1 项、未变 47 项；关键举措：修改 1 项、未变 51 项。"
    )
    assert page.locator("ins.tl-unit").first.inner_text() == "市水利局"
    assert not PlanRevision.objects.filter(plan=annex1_committed, number=2).exists()
    screenshot(page, "tasklist-import-2-preview")

    page.locator("input[name=confirm]").click()
    page.wait_for_selector(".tl-outcome-ok")
    assert "第 2 版" in page.locator(".tl-outcome-ok").inner_text()
    screenshot(page, "tasklist-import-3-applied")
    assert PlanRevision.objects.get(plan=annex1_committed, number=2).note == "征求意见后修订"

    page.get_by_role("link", name="查看这一版").click()
    page.wait_for_url("**/revisions/2/")
    assert "第 2 版（按当时原样）" in page.locator("h1").inner_text()
    assert "市水利局" in page.locator(".tl-diff").inner_text()
    screenshot(page, "tasklist-revision-2")
