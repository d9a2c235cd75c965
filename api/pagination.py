from rest_framework.pagination import PageNumberPagination

from api.params import MAX_ID, positive_int

MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    """``?page=`` (a page past the last is a 404) and ``?page_size=`` (1 or more; above 200 gives 200)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = f"每页条数，默认 50，最多 {MAX_PAGE_SIZE}（更大的值按 {MAX_PAGE_SIZE} 计）。"

    def get_page_size(self, request):
        # DRF silently ignores a page size or page it cannot read; say so instead, as the schema promises.
        positive_int(request, self.page_query_param, what="页码")
        size = positive_int(request, self.page_size_query_param, what="每页条数")
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        # The bounds the server enforces, so that a schema-driven client knows them too.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(minimum=1, maximum=MAX_ID)
        return parameters
