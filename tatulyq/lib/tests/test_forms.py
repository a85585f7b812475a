"""lib.forms: a service's errors land next to the field or the row they name."""

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tatulyq.lib.forms import saved_with_rows


class Head(forms.Form):
    title = forms.CharField()


class Row(forms.Form):
    amount = forms.IntegerField(required=False)


Rows = forms.formset_factory(Row, extra=0)


def _post(rows):
    data = {"title": "x", "rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0"}
    data.update({f"rows-{i}-amount": value for i, value in enumerate(rows)})
    return RequestFactory().post("/", data)


def test_the_service_gets_the_filled_rows_and_its_result_is_returned():
    request = _post(["5", "", "7"])
    form, rows = Head(request.POST), Rows(request.POST, prefix="rows")
    result = saved_with_rows(
        request, form, {"rows": rows}, lambda data, given: (data["title"], given["rows"])
    )
    assert result == ("x", [{"amount": 5}, {"amount": 7}])


def test_a_row_error_lands_on_the_row_it_names_and_a_table_error_on_the_table():
    request = _post(["5", "", "7"])
    form, rows = Head(request.POST), Rows(request.POST, prefix="rows")

    def refuse(data, given):
        raise ValidationError(
            {"rows-1-amount": "too much", "rows": "the rows must add up", "title": "taken", "other": "no"}
        )

    assert saved_with_rows(request, form, {"rows": rows}, refuse) is None
    assert rows.forms[2].errors["amount"] == ["too much"]  # the second row given is the third form
    assert not rows.forms[0].errors and not rows.forms[1].errors
    assert list(rows.non_form_errors()) == ["the rows must add up"]
    assert form.errors["title"] == ["taken"] and form.non_field_errors() == ["no"]


def test_nothing_is_performed_unless_posted_and_valid():
    called = []
    get = RequestFactory().get("/")
    assert saved_with_rows(get, Head(), {"rows": Rows(prefix="rows")}, lambda *a: called.append(a)) is None
    request = _post(["not a number"])
    form, rows = Head(request.POST), Rows(request.POST, prefix="rows")
    assert saved_with_rows(request, form, {"rows": rows}, lambda *a: called.append(a)) is None
    assert called == []
