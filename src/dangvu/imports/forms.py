from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("An Excel workbook (.xlsx) with the sheets ToChuc, DangVien, BienDong, XepLoai, or a .zip of "
                    "CSV files with the same names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.zip"}),
    )
