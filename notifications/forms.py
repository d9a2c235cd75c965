from __future__ import annotations

from django import forms

from notifications.models import ChannelKind


class EndpointForm(forms.Form):
    kind = forms.ChoiceField(label="渠道")
    address = forms.CharField(label="地址", max_length=500)
    secret = forms.CharField(label="加签密钥（钉钉，可选）", max_length=200, required=False)

    def __init__(self, *args, allow_robots: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(ChannelKind.EMAIL, ChannelKind.EMAIL.label)]
        if allow_robots:
            kinds += [(k, k.label) for k in (ChannelKind.WECOM, ChannelKind.DINGTALK)]
        self.fields["kind"].choices = kinds

    def clean(self):
        data = super().clean()
        kind, address = data.get("kind"), data.get("address", "")
        if kind == ChannelKind.EMAIL:
            forms.EmailField().clean(address)
        elif kind in (ChannelKind.WECOM, ChannelKind.DINGTALK) and not address.startswith("https://"):
            self.add_error("address", "群机器人的 Webhook 地址应以 https:// 开头。")
        return data
