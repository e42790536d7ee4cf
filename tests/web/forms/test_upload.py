"""The upload page: all or nothing, every problem row by row, a dry run, the errors as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crossings.web.reporting.models import Record
from tests.ingest.test_odk import central_export

pytestmark = pytest.mark.django_db
HEADER = "incident_ref,detection_date,location_type,event_types\n"


def upload(browser, *files, dry_run=False):
    data = {"unit": "KHM-BLO-POIPET", "files": [SimpleUploadedFile(n, c) for n, c in files]}
    if dry_run:
        data["dry_run"] = "1"
    return browser.post("/upload/", data)


def test_a_bad_row_stores_nothing_and_is_reported_and_downloadable(browser_as):
    officer = browser_as("khm-officer")
    body = HEADER + "U-1,2025-03-02,LAND_BCP,IRREGULAR_CROSSING\nU-2,2025-03-02,NOWHERE,IRREGULAR_CROSSING\n"
    response = upload(officer, ("incidents.csv", body.encode()))
    assert response.status_code == 422 and Record.objects.count() == 0
    html = response.content.decode()
    assert "<td>incidents.csv</td>" in html and "<td>3</td>" in html and "UNKNOWN_CODE" in html
    link = html.split('href="/upload/errors/')[1].split('"')[0]
    download = officer.get(f"/upload/errors/{link}")
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0]["rule"] == "UNKNOWN_CODE" and rows[0]["row"] == "3"
    assert rows[0]["column"] == "location_type" and rows[0]["hint"]
    assert browser_as("tha-officer").get(f"/upload/errors/{link}").status_code == 404


def test_dry_run_stores_nothing_then_the_upload_stores(browser_as):
    officer = browser_as("khm-officer")
    body = (HEADER + "U-3,2025-03-02,LAND_BCP,IRREGULAR_CROSSING\n").encode()
    response = upload(officer, ("incidents.csv", body), dry_run=True)
    assert response.status_code == 200 and "dry run" in response.content.decode()
    assert Record.objects.count() == 0
    assert "Stored" in upload(officer, ("incidents.csv", body)).content.decode()
    assert Record.objects.filter(reference="U-3").exists()


def test_an_odk_central_export_is_uploaded(browser_as, tmp_path):
    files = [(p.name, p.read_bytes()) for p in central_export(tmp_path)]
    response = upload(browser_as("khm-officer"), *files)
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert Record.objects.filter(reference__startswith="ODK-").count() == 1
