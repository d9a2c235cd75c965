"""Group-chat robots: 企业微信 and 钉钉 webhooks, each with its own JSON format and error codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from notifications.channels.base import Channel, ChannelError

TIMEOUT_SECONDS = 5


def post_json(url: str, payload: dict) -> dict:
    """POST ``payload``; returns the JSON answer. HTTP 4xx (but 429) is permanent, the rest transient."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        permanent = 400 <= exc.code < 500 and exc.code != 429
        raise ChannelError(f"机器人地址返回 HTTP {exc.code}", permanent=permanent) from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise ChannelError(f"无法连接机器人地址：{exc}") from exc


def markdown(delivery, link: str) -> str:
    lines = [f"**{delivery.subject}**", "", delivery.body]
    if link:
        lines += ["", f"[查看详情]({link})"]
    return "\n".join(lines)


class WeComRobotChannel(Channel):
    kind = "wecom"
    label = "企业微信群机器人"
    # 93000: invalid webhook key; 40008/40058: bad message. 45009: rate limited (retry later).
    PERMANENT_CODES = {93000, 40008, 40058}

    def send(self, delivery) -> None:
        answer = post_json(
            delivery.endpoint.address,
            {"msgtype": "markdown", "markdown": {"content": markdown(delivery, self.absolute(delivery.url))}},
        )
        code = answer.get("errcode", 0)
        if code:
            raise ChannelError(
                f"企业微信返回错误 {code}：{answer.get('errmsg', '')}", permanent=code in self.PERMANENT_CODES
            )


class DingTalkRobotChannel(Channel):
    kind = "dingtalk"
    label = "钉钉群机器人"
    # 300001: token does not exist; 310000: signature or keyword check failed. 130101: rate limited.
    PERMANENT_CODES = {300001, 310000, 400101}

    def send(self, delivery) -> None:
        endpoint = delivery.endpoint
        answer = post_json(
            self.signed(endpoint.address, endpoint.secret),
            {
                "msgtype": "markdown",
                "markdown": {"title": delivery.subject, "text": markdown(delivery, self.absolute(delivery.url))},
            },
        )
        code = answer.get("errcode", 0)
        if code:
            raise ChannelError(
                f"钉钉返回错误 {code}：{answer.get('errmsg', '')}", permanent=code in self.PERMANENT_CODES
            )

    @staticmethod
    def signed(url: str, secret: str, now_ms: int | None = None) -> str:
        """钉钉“加签”: timestamp and HMAC-SHA256 signature appended to the webhook URL."""
        if not secret:
            return url
        timestamp = str(now_ms or int(time.time() * 1000))
        digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest))
        return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
