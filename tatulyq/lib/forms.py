from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.Form, error: ValidationError, tables: dict | None = None) -> None:
    """Show a service's ValidationError next to the field it names, else above the form.
    tables: {prefix: (formset, index)} for rows given to the service as lists — "lines-2-total"
    is the total of the third row given (index: each given row's form), "lines" the table as
    a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        prefix, _sep, tail = key.partition("-")
        if tables and prefix in tables:
            formset, index = tables[prefix]
            if tail:
                number, field = tail.split("-", 1)
                target = formset.forms[index[int(number)]] if int(number) < len(index) else None
                if target is not None:
                    target.add_error(field if field in target.fields else None, errors)
                    continue
            formset._non_form_errors = formset.error_class(
                [*formset.non_form_errors(), *(m for e in errors for m in e.messages)], error_class="nonform"
            )
            continue
        form.add_error(key if key in form.fields else None, errors)


def formset_rows(formset) -> tuple[list[dict], list[int]]:
    """The filled, kept rows of a valid formset, and the index of each row's form."""
    rows, index = [], []
    for number, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
        index.append(number)
    return rows, index


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


def saved_with_rows(request, form: forms.Form, tables: dict, perform):
    """`submitted` for a form with tables of rows: {prefix: formset}, each valid too;
    `perform(cleaned_data, {prefix: the filled, kept rows})` returns what it saved, and
    so does this, or None when the page is shown again (with the service's errors at
    their fields and rows)."""
    if request.method != "POST" or not form.is_valid() or not all(t.is_valid() for t in tables.values()):
        return None
    given = {prefix: formset_rows(formset) for prefix, formset in tables.items()}
    try:
        return perform(form.cleaned_data, {prefix: rows for prefix, (rows, _index) in given.items()})
    except ValidationError as error:
        add_errors(form, error, {prefix: (tables[prefix], index) for prefix, (_rows, index) in given.items()})
        return None
