# The shortest Attest client in Python: requests, following the Link header to the next page.
# Run with ATTEST_URL (the server) and ATTEST_KEY (an API key, for the write) set.
import os

import requests

base = os.environ.get("ATTEST_URL", "http://127.0.0.1:3000")

# Statements by one speaker in March 2024, two a page.
url = f"{base}/statements?actor=miguel-diaz-canel&from=2024-03&to=2024-03&limit=2"
while url:
    page = requests.get(url)
    page.raise_for_status()
    for s in page.json()["data"]:
        print("listed", s["saidOn"], (s["speaker"] or {}).get("slug") or s["attributedTo"])
        source_id = s["citations"][0]["source"]["id"]
    url = page.links.get("next", {}).get("url")

# A statement with a citation of an existing source, written with a key.
created = requests.post(
    f"{base}/statements",
    headers={"Authorization": f"Bearer {os.environ['ATTEST_KEY']}"},
    json={
        "speaker": "miguel-diaz-canel",
        "text": "Written by the Python example client.",
        "language": "en",
        "kind": "paraphrase",
        "saidOn": "2024-04-02",
        "citations": [{"sourceId": source_id, "excerpt": "The passage that carries it.", "role": "secondary"}],
    },
)
print("created", created.status_code, created.headers["Location"])

# A refused request: an RFC 9457 problem naming the field.
problem = requests.get(f"{base}/statements", params={"from": "2024-13"})
print("problem", problem.status_code, problem.json()["code"], problem.json()["errors"][0]["field"])
