"""Imports through the API: the same services as the pages. POST a multipart `file`
(with `dry_run=true` for the report only); the answer is the report as JSON."""

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from clusterbridge.accounts.roles import is_editor
from clusterbridge.interop import file_imports, portal, runs, sheet_import, sheets, uploads


class IsEditor(permissions.BasePermission):
    message = "Only editors import data."

    def has_permission(self, request, view):
        return is_editor(request.user)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)


class _ImportView(APIView):
    permission_classes = [IsEditor]
    parser_classes = [MultiPartParser]

    def dispatch(self, request, *args, **kwargs):
        # Before anything parses the body: refuse by the declared size, limit the stream.
        self.size_handler = None
        if request.method == "POST":
            try:
                self.size_handler = uploads.guard_request_size(request)
            except uploads.UploadRefused as refused:
                return JsonResponse({"detail": str(refused)}, status=413)
        return super().dispatch(request, *args, **kwargs)

    def read(self, request) -> tuple[bytes, str, bool]:
        upload = UploadSerializer(data=request.data)  # parses the body: the limit applies here
        if self.size_handler is not None and self.size_handler.exceeded:
            raise uploads.UploadTooLarge(uploads.too_large_message())
        upload.is_valid(raise_exception=True)
        uploaded = upload.validated_data["file"]
        raw = uploads.read_upload(uploaded, self.size_handler)
        return raw, uploaded.name, upload.validated_data["dry_run"]


CALL_REPORT = inline_serializer(
    "CallImportReport",
    {
        "format": serializers.CharField(),
        "dry_run": serializers.BooleanField(),
        "records": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "skipped": serializers.DictField(child=serializers.IntegerField()),
        "errors": serializers.ListField(child=serializers.DictField()),
    },
)


class CallImportView(_ImportView):
    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses=CALL_REPORT,
        summary="Import calls from an EU Funding & Tenders Portal file",
    )
    def post(self, request):
        try:
            raw, name, dry_run = self.read(request)
            report = file_imports.run(
                "calls", raw, user=request.user, dry_run=dry_run, filename=name
            )
        except uploads.UploadRefused as refused:
            return Response(
                {"detail": str(refused)},
                status=413 if isinstance(refused, uploads.UploadTooLarge) else 400,
            )
        except portal.PortalFileError as error:
            return Response({"detail": str(error)}, status=400)
        except runs.ImportInProgress as busy:
            return Response({"detail": str(busy)}, status=409)
        return Response(
            {
                "format": report.format,
                "dry_run": report.dry_run,
                "records": report.records,
                **{
                    k: v
                    for k, v in report.counts().items()
                    if k in ("created", "updated", "unchanged")
                },
                "skipped": dict(report.skipped_reasons),
                "errors": [
                    {"record": e.position, "identifier": e.identifier, "message": e.message}
                    for e in report.errors
                ],
            }
        )


class SpreadsheetImportView(_ImportView):
    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        parameters=[OpenApiParameter("record_type", str, OpenApiParameter.PATH)],
        responses=inline_serializer(
            "SpreadsheetImportReport",
            {
                "record_type": serializers.CharField(),
                "dry_run": serializers.BooleanField(),
                "rows": serializers.IntegerField(),
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
                "unchanged": serializers.IntegerField(),
                "errors": serializers.ListField(child=serializers.DictField()),
            },
        ),
        summary="Import records from a CSV or XLSX spreadsheet (all rows or none)",
    )
    def post(self, request, record_type: str):
        if sheets.get_type(record_type) is None:
            return Response({"detail": f"There is no record type “{record_type}”."}, status=404)
        try:
            raw, name, dry_run = self.read(request)
            report = sheet_import.import_sheet(
                record_type, raw, user=request.user, dry_run=dry_run, filename=name
            )
        except uploads.UploadRefused as refused:
            return Response(
                {"detail": str(refused)},
                status=413 if isinstance(refused, uploads.UploadTooLarge) else 400,
            )
        except runs.ImportInProgress as busy:
            return Response({"detail": str(busy)}, status=409)
        except sheets.SheetFileError as error:
            status = 403 if isinstance(error, sheets.SheetPermissionError) else 400
            return Response({"detail": str(error)}, status=status)
        body = {
            "record_type": report.record_type,
            "dry_run": report.dry_run,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in report.errors
            ],
        }
        if report.errors:
            body["detail"] = report.summary()
        return Response(body, status=400 if report.errors else 200)
