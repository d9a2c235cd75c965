"""django-import-export's temporary storage, kept in the database.

Between the preview and the confirm of an admin import the upload must be kept
somewhere. The library's default is a file in the temporary folder of the web
server that took the upload, and the confirm may reach another server
(django-import-export issues #130, #251); ``CacheStorage`` depends on a shared
cache and a 1 MB memcached item limit. The database is shared by every server
already, so the upload is an ``ImportJob`` row.
"""

from __future__ import annotations

from import_export.tmp_storages import BaseStorage

from tasks_app.models import ImportJob


class UploadExpired(Exception):
    """The upload is gone (confirmed already, or dropped as stale)."""


class DatabaseTmpStorage(BaseStorage):
    kind = ImportJob.Kind.UNITS

    def save(self, data) -> None:
        from tasks_app.services.imports import import_job_create

        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        job = import_job_create(kind=self.kind, file_name=getattr(self, "file_name", ""), data=data)
        self.name = job.token

    def _job(self) -> ImportJob:
        job = ImportJob.objects.filter(token=self.name, kind=self.kind).first()
        if job is None:
            raise UploadExpired("上传的文件已过期或已导入，请重新上传。")
        return job

    def read(self):
        data = bytes(self._job().data)
        if "b" in self.read_mode:
            return data
        return data.decode(self.encoding or "utf-8-sig")

    def remove(self) -> None:
        ImportJob.objects.filter(token=self.name, kind=self.kind).delete()


class TaskListTmpStorage(DatabaseTmpStorage):
    """A task list upload is the import job itself: it outlives the confirm request
    (a worker may still be applying it), so removing it is left to the job."""

    kind = ImportJob.Kind.TASKLIST

    def remove(self) -> None:
        pass
