-- Signs in again and again as the demo organiser (a form POST, as a browser sends it).
wrk.method = "POST"
wrk.body = "username=organiser&password=Demo%40Shenzhen2026"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
