"""Importing a revised task list in the admin, with django-import-export's two steps.

The library gives the flow, its URLs, permission check, forms and templates:
upload (``import_action``) → dry run → preview → confirm (``process_import``).
This module gives it what a task list needs:

- the upload is kept in the database (``TaskListTmpStorage``), not in one web
  server's temporary folder, so the confirm may reach any server;
- the form also asks which plan, whether to create unknown units, and a note,
  and these are fixed on the job at upload (the confirm form cannot change them);
- the preview is the revision as a diff against the current list, with every
  problem by row and column; the confirm applies exactly that diff or nothing;
- a large file is read and applied by a Celery worker while the job page shows
  a progress bar (``import/<token>/`` and its JSON ``status/``).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from tasks_app.import_storage import TaskListTmpStorage, UploadExpired
from tasks_app.models import ImportJob, Plan
from tasks_app.resources import TaskListFormat, TaskListResource, TaskListResult
from tasks_app.services.imports import READING
from tasks_app.services.plans import default_plan
from tasks_app.tasklist.diff import diff_for_display


class TaskListImportForm(ImportForm):
    plan = forms.ModelChoiceField(
        Plan.objects.all(),
        label="导入到方案",
        required=False,
        empty_label="（新建方案，名称填在下一栏）",
    )
    plan_name = forms.CharField(label="新方案名称", max_length=300, required=False)
    create_units = forms.BooleanField(
        label="自动新建未知单位",
        required=False,
        help_text="不勾选时，文件中有未知单位则整份不导入，并列出最接近的已知单位；勾选后新建这些单位并标记为待审核。",
    )
    note = forms.CharField(label="修订说明", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))

    field_order = ["import_file", "format", "plan", "plan_name", "create_units", "note", "resource"]

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.TASKLIST_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件“{upload.name}”大小 {upload.size / 1024 / 1024:.1f} MB，超过上限 {limit // 1024 // 1024} MB。"
            )
        return upload

    def clean(self):
        data = super().clean()
        name = (data.get("plan_name") or "").strip()
        if data.get("plan") is None:
            if not name:
                raise forms.ValidationError("请选择要导入的方案，或填写新方案名称。")
            # A name that is already a plan means that plan.
            data["plan"] = Plan.objects.filter(name=name).first()
        data["plan_name"] = "" if data.get("plan") else name
        return data

    @property
    def options(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("plan", "plan_name", "create_units", "note")}


class KeptUploadMixin:
    """For an ImportMixin admin whose uploads wait in the database: a confirm of an upload that is
    gone (confirmed already in another tab, or dropped as stale) says so instead of failing."""

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except UploadExpired as exc:
            messages.error(request, str(exc))
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:{app_label}_{model_name}_import"))


class TaskListImportMixin(KeptUploadMixin, ImportMixin):
    """Adds "导入任务清单" to an admin (the plan revisions'): each import is a new revision."""

    import_template_name = "admin/tasks_app/tasklist_import.html"
    import_form_class = TaskListImportForm
    resource_classes = [TaskListResource]
    tmp_storage_class = TaskListTmpStorage

    def get_import_formats(self):
        return [TaskListFormat]

    def get_import_form_initial(self, request):
        return {"plan": default_plan()}

    def write_to_tmp_storage(self, import_file, input_format):
        # The library concatenates chunks with += (quadratic on a 20 MB file) and loses the file name.
        storage = self.get_tmp_storage_class()(read_mode="rb")
        storage.file_name = import_file.name
        storage.save(b"".join(import_file.chunks()))
        return storage

    def get_import_data_kwargs(self, request=None, form=None, **kwargs):
        if isinstance(form, TaskListImportForm):
            return {"upload": form.cleaned_data["import_file"].tmp_storage_name, "options": form.options}
        return {"upload": form.cleaned_data["import_file_name"]}

    def process_result(self, result: TaskListResult, request):
        job = result.job
        if job is None:
            messages.error(request, result.error)
            return HttpResponseRedirect(reverse(self._url_name("import")))
        if result.error:
            messages.error(request, result.error)
        elif job.state == ImportJob.State.APPLIED:
            messages.success(
                request, f"已导入为“{job.revision.plan.name}”第 {job.revision.number} 版：{job.preview['summary']}"
            )
        elif job.state == ImportJob.State.FAILED:
            messages.error(request, "导入失败，未写入任何内容：原因见下方。")
        elif job.is_busy:
            messages.info(request, "文件较大，正在后台导入，完成后本页会自动显示结果。")
        return HttpResponseRedirect(reverse(self._url_name("import_job"), args=[job.token]))

    # --- the job page ---------------------------------------------------------------------

    def _url_name(self, name: str) -> str:
        app_label, model_name = self.get_model_info()
        return f"{self.admin_site.name}:{app_label}_{model_name}_{name}"

    def get_urls(self):
        app_label, model_name = self.get_model_info()
        urls = [
            path(
                "import/<str:token>/",
                self.admin_site.admin_view(self.import_job_view),
                name=f"{app_label}_{model_name}_import_job",
            ),
            path(
                "import/<str:token>/status/",
                self.admin_site.admin_view(self.import_job_status),
                name=f"{app_label}_{model_name}_import_job_status",
            ),
        ]
        return urls + super().get_urls()

    def _job(self, request, token: str) -> ImportJob:
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.select_related("plan", "revision"), token=token)
        if job.kind != ImportJob.Kind.TASKLIST or (
            job.created_by_id != request.user.pk and not request.user.is_superuser
        ):
            raise PermissionDenied
        return job

    def import_job_view(self, request, token: str):
        job = self._job(request, token)
        context = self.admin_site.each_context(request)
        context.update(tasklist_job_context(job))
        context.update(
            {
                "title": "导入任务清单",
                "opts": self.model._meta,
                "result": TaskListResult(job),
                # Always set, so the page shows the job's step rather than a new upload form.
                "confirm_form": ConfirmImportForm(
                    initial={"import_file_name": job.token, "original_file_name": job.file_name, "format": "0"}
                ),
                "status_url": reverse(self._url_name("import_job_status"), args=[job.token]),
                "import_url": reverse(self._url_name("import")),
            }
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def import_job_status(self, request, token: str):
        job = self._job(request, token)
        return JsonResponse(
            {
                "state": job.state,
                "state_label": job.get_state_display(),
                "step": job.get_step_display(),
                "stage": job.progress_stage,
                "done": job.progress_done,
                "total": job.progress_total,
                "counted": job.progress_stage == READING and job.progress_total > 0,
                "busy": job.is_busy,
            }
        )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is None:  # a redirect
            return response
        context["title"] = "导入任务清单"
        result = context.get("result")
        if isinstance(result, TaskListResult) and result.job is not None:
            context.update(tasklist_job_context(result.job))
            context["status_url"] = reverse(self._url_name("import_job_status"), args=[result.job.token])
            context["import_url"] = reverse(self._url_name("import"))
        return response


def tasklist_job_context(job: ImportJob) -> dict:
    """What the preview and job pages show, from what the job stored: the diff and the problems."""
    preview = job.preview or {}
    problems = job.problems if job.state == ImportJob.State.FAILED else preview.get("problems", [])
    return {
        "job": job,
        "preview": preview,
        "diff": diff_for_display(preview["diff"]) if preview.get("diff") else None,
        "problems": problems,
        "problem_errors": [p for p in problems if p.get("severity") == "error"],
        "problem_warnings": [p for p in problems if p.get("severity") != "error"],
        "next_revision": (job.base_revision or 0) + 1,
    }
