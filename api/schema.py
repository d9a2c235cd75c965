"""The OpenAPI description of every operation also lists its error answers, as the server gives them."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

DETAIL = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
# A wrong query parameter: {"period": ["“abc”不是有效的编号。"]}, keyed by the parameter's name.
INVALID = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}

ERRORS = {
    "400": OpenApiResponse(INVALID, description="查询参数有误（键为参数名，值为说明）"),
    "401": OpenApiResponse(DETAIL, description="未提供令牌或令牌无效"),
    "404": OpenApiResponse(DETAIL, description="对象不存在或无权查看，或页码超出范围"),
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction=direction)
        if direction == "response":
            for code, response in ERRORS.items():
                if code not in bodies:
                    bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies
