from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submitted(request, form: forms.Form, perform) -> bool:
    """True when the form was posted, is valid and `perform(cleaned_data)` (one service
    call) accepted it; a service's ValidationError is shown next to its field instead."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        perform(form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return False
    return True
