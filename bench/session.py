#!/usr/bin/env python3
"""Signs a new benchmark account in the way a person would: one-time password, second-factor
enrolment (RFC 6238 code computed here), new password. Prints the session cookie for wrk.

Usage: bench/session.py BASE_URL USERNAME ONE_TIME_PASSWORD
"""
import base64, hashlib, hmac, re, struct, sys, time, urllib.parse, urllib.request

base, user, one_time = sys.argv[1], sys.argv[2], sys.argv[3]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)
cookie = ""


def call(method, path, form=None):
    global cookie
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if cookie:
        req.add_header("Cookie", cookie)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        res = opener.open(req)
    except urllib.error.HTTPError as e:
        res = e
    set_cookie = res.headers.get("Set-Cookie")
    if set_cookie and set_cookie.startswith("pioneer_session="):
        cookie = set_cookie.split(";")[0]
    return res.read().decode()


def csrf(page):
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


def totp(secret_b32, t):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(t // 30)), hashlib.sha1).digest()
    off = digest[19] & 15
    return "%06d" % ((struct.unpack(">I", digest[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


call("POST", "/login", {"username": user, "password": one_time})
page = call("GET", "/account/totp")
secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
call("POST", "/account/totp", {"csrf": csrf(page), "code": totp(secret, time.time())})
page = call("GET", "/account/password")
new = "Bench-Xianfeng-2026!"
call("POST", "/account/password", {"csrf": csrf(page), "current": one_time, "new": new, "again": new})
print(cookie)
