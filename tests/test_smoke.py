from tests.conftest import Persona


def test_alice_checks_in_and_reads_it_back(client, alice: Persona) -> None:
    created = client.post(
        "/api/v1/checkins",
        json={"mood": 2, "energy": -1, "note": "calm morning"},
        headers=alice.headers,
    )
    assert created.status_code == 201, created.text
    item = created.json()["checkin"]
    got = client.get(f"/api/v1/checkins/{item['id']}", headers=alice.headers)
    assert got.json()["note"] == "calm morning"
