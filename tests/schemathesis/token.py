"""Signs in, starts a CLI grant, approves it as the signed-in user and redeems it: prints the
bearer token. Then signs in EXTRA more times (browser sessions), so that the stateful phase has
other sessions of the account to revoke through the OpenAPI links. Standard library only."""

import json
import sys
import urllib.parse
import urllib.request


def request(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    return urllib.request.urlopen(req, timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base, email, password, extra="0"):
    form = urllib.parse.urlencode({"email": email, "password": password}).encode()
    login = request(f"{base}/login", form, {"Accept": "application/json"})
    cookie = login.headers["Set-Cookie"].split(";")[0]
    started = json.load(request(f"{base}/api/v1/auth/cli/start", b"", method="POST"))
    decide = urllib.parse.urlencode({"code": started["user_code"], "approve": "true"}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(
            f"{base}/api/cli/decide", decide,
            {"Cookie": cookie, "Accept": "application/json"}), timeout=30)
    except urllib.error.HTTPError as e:
        if e.code >= 400:
            raise
    body = json.dumps({"device_code": started["device_code"]}).encode()
    issued = json.load(request(f"{base}/api/v1/auth/cli/redeem", body, {"Content-Type": "application/json"}))
    for _ in range(int(extra)):
        request(f"{base}/login", form, {"Accept": "application/json"})
    print(issued["token"])


if __name__ == "__main__":
    main(*sys.argv[1:5])
