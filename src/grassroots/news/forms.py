"""The reader's comment form: name, optional e-mail (never shown), text, and a honeypot field
that people leave empty (it is hidden from them) and form-filling robots do not."""

from django import forms

#: The honeypot's name: a field a robot expects to fill.
HONEYPOT = "website"


class CommentForm(forms.Form):
    article = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="Họ tên", max_length=100)
    email = forms.EmailField(label="Thư điện tử (không hiển thị)", required=False, max_length=254)
    text = forms.CharField(
        label="Nội dung", max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    website = forms.CharField(
        label="Để trống ô này",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))
