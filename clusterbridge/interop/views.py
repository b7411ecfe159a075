"""Import pages for editors (portal calls and spreadsheets: upload → dry-run report →
commit) and the spreadsheet exports and templates."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core import spreadsheets
from clusterbridge.interop import file_imports, portal, runs, sheet_import, sheets, uploads
from clusterbridge.interop.forms import CallsUploadForm, CommitForm, SpreadsheetUploadForm


def editor_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_editor(request.user):
            raise PermissionDenied("Only editors import data.")
        return view(request, *args, **kwargs)

    return wrapper


def size_guarded(view):
    """Refuse an oversized upload by its declared length before anything reads the body;
    CSRF is checked inside, after the size guard is in place."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        handler = None
        if request.method == "POST":
            try:
                handler = uploads.guard_request_size(request)
            except uploads.UploadRefused as refused:
                return render(
                    request, "interop/refused.html", {"message": str(refused)}, status=413
                )
        return protected(request, *args, handler=handler, **kwargs)

    return wrapper


def _exceeded(request, handler) -> bool:
    request.POST  # noqa: B018 — parses the body through the size-limit handler
    return handler.exceeded


@editor_required
def index(request):
    return render(request, "interop/index.html", {"record_types": sheets.available_types()})


@require_http_methods(["GET", "POST"])
@editor_required
@size_guarded
def calls_import(request, handler=None):
    context: dict = {"form": CallsUploadForm(), "limit": uploads.limit_text()}
    if request.method == "POST" and handler is not None and _exceeded(request, handler):
        return render(
            request, "interop/refused.html", {"message": uploads.too_large_message()}, status=413
        )
    if request.method == "POST" and "token" in request.POST:
        commit = CommitForm(request.POST)
        try:
            if not commit.is_valid():
                raise uploads.UploadRefused("This preview is not valid: upload the file again.")
            raw, payload = uploads.open_kept(
                commit.cleaned_data["token"], request.user, kind="calls"
            )
            report = file_imports.run("calls", raw, user=request.user, filename=payload["name"])
        except (uploads.UploadRefused, portal.PortalFileError) as refused:
            context["refused"] = str(refused)
            return render(request, "interop/calls_import.html", context, status=400)
        except runs.ImportInProgress as busy:
            context["refused"] = str(busy)
            return render(request, "interop/calls_import.html", context, status=409)
        uploads.discard(payload)
        context.update(report=report, committed=True, filename=payload["name"])
        return render(request, "interop/calls_import.html", context)
    if request.method == "POST":
        form = CallsUploadForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "interop/calls_import.html", context, status=400)
        uploaded = form.cleaned_data["file"]
        try:
            raw = uploads.read_upload(uploaded, handler)
            report = file_imports.run("calls", raw, dry_run=True, filename=uploaded.name)
        except (uploads.UploadRefused, portal.PortalFileError) as refused:
            form.add_error("file", str(refused))
            return render(request, "interop/calls_import.html", context, status=400)
        token = uploads.keep(raw, request.user, name=uploaded.name, kind="calls")
        context.update(
            report=report, commit_form=CommitForm(initial={"token": token}), filename=uploaded.name
        )
    return render(request, "interop/calls_import.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
@size_guarded
def spreadsheet_import(request, handler=None):
    context: dict = {
        "form": SpreadsheetUploadForm(),
        "limit": uploads.limit_text(),
        "record_types": sheets.available_types(),
    }
    if request.method == "POST" and handler is not None and _exceeded(request, handler):
        return render(
            request, "interop/refused.html", {"message": uploads.too_large_message()}, status=413
        )
    if request.method == "POST" and "token" in request.POST:
        commit = CommitForm(request.POST)
        try:
            if not commit.is_valid():
                raise uploads.UploadRefused("This preview is not valid: upload the file again.")
            raw, payload = uploads.open_kept(
                commit.cleaned_data["token"], request.user, kind="sheet"
            )
            report = sheet_import.import_sheet(
                payload["type"], raw, user=request.user, filename=payload["name"]
            )
        except (uploads.UploadRefused, sheets.SheetFileError) as refused:
            context["refused"] = str(refused)
            return render(request, "interop/spreadsheet_import.html", context, status=400)
        except runs.ImportInProgress as busy:
            context["refused"] = str(busy)
            return render(request, "interop/spreadsheet_import.html", context, status=409)
        if report.ok:
            uploads.discard(payload)
        context.update(report=report, committed=report.ok, filename=payload["name"])
        return render(
            request, "interop/spreadsheet_import.html", context, status=200 if report.ok else 400
        )
    if request.method == "POST":
        form = SpreadsheetUploadForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "interop/spreadsheet_import.html", context, status=400)
        uploaded = form.cleaned_data["file"]
        record_type = form.cleaned_data["record_type"]
        try:
            raw = uploads.read_upload(uploaded, handler)
            report = sheet_import.import_sheet(
                record_type, raw, user=request.user, dry_run=True, filename=uploaded.name
            )
        except (uploads.UploadRefused, sheets.SheetFileError) as refused:
            form.add_error("file", str(refused))
            return render(request, "interop/spreadsheet_import.html", context, status=400)
        context.update(report=report, filename=uploaded.name)
        if report.ok:
            token = uploads.keep(
                raw, request.user, name=uploaded.name, kind="sheet", extra={"type": record_type}
            )
            context["commit_form"] = CommitForm(initial={"token": token})
        return render(
            request, "interop/spreadsheet_import.html", context, status=200 if report.ok else 400
        )
    return render(request, "interop/spreadsheet_import.html", context)


def template_download(request, record_type: str, fmt: str):
    spec = sheets.get_type(record_type)
    if spec is None or fmt not in spreadsheets.FORMATS:
        raise Http404("No such record type or format.")
    columns = spec.import_columns
    header = [c.name for c in columns]
    example = [c.example for c in columns]
    readme = [
        ["column", "required", "what it holds", "allowed values"],
        *([c.name, "yes" if c.required else "", c.help, c.allowed] for c in columns),
        [],
        [
            f"Lists are separated by “{sheets.LIST_SEPARATOR}”. Dates are YYYY-MM-DD. "
            "Rows with the identifier (or name) of an existing record update it; "
            "others create records. Delete the example row before importing."
        ],
    ]
    content = spreadsheets.spreadsheet_bytes(
        fmt, [spreadsheets.Sheet(spec.key, [header, example]), spreadsheets.Sheet("README", readme)]
    )
    return spreadsheets.download(content, f"clusterbridge-{spec.key}-template.{fmt}", fmt)


def export(request, record_type: str, fmt: str):
    spec = sheets.get_type(record_type)
    if spec is None or fmt not in spreadsheets.FORMATS:
        raise Http404("No such record type or format.")
    queryset = spec.queryset(request.user)
    filterset_class = spec.filterset()
    if filterset_class is not None:
        filterset = filterset_class(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            return render(
                request, "interop/refused.html", {"message": _filter_errors(filterset)}, status=400
            )
        queryset = filterset.qs
    content = sheets.export_bytes(spec, queryset, fmt, editor=is_editor(request.user))
    stamp = timezone.localdate().isoformat()
    return spreadsheets.download(content, f"clusterbridge-{spec.key}-{stamp}.{fmt}", fmt)


def _filter_errors(filterset) -> str:
    parts = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
    return "The filters are not valid — " + "; ".join(parts)
