from tests.benchmarking.conftest import FULL


def test_draft_and_submit(draft, submitted, signed_in):
    assert submitted.status == "submitted"
    client = signed_in("manager")
    response = client.get(f"/benchmarking/assessments/{submitted.pk}/report/")
    assert response.status_code == 200, response.content[:3000]
    assert client.get("/benchmarking/").status_code == 200
    assert FULL
